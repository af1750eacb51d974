/**
 * Validates an object against its upstream CRD schema (testdata/crds/, see crd-schemas.ts) the way `kubectl apply`
 * does by default since Kubernetes 1.27 (server-side field validation, strict): types, enums, required fields, and an
 * unknown field is an error, except under `x-kubernetes-preserve-unknown-fields`. (CEL rules, x-kubernetes-validations,
 * are not evaluated here.)
 */
import { existsSync, readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { type StoredSchema, schemaFile } from './crd-schemas';

type Schema = Record<string, unknown>;

/** A copy of the schema where an object without preserve-unknown-fields refuses fields it does not declare. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const s: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    // names of declared properties are data, not schemas: copy their schemas one by one
    if (k === 'properties' && v && typeof v === 'object') {
      s[k] = Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, strict(ps)]));
    } else {
      s[k] = strict(v);
    }
  }
  if (
    s.properties &&
    s['x-kubernetes-preserve-unknown-fields'] !== true &&
    s.additionalProperties === undefined
  ) {
    s.additionalProperties = false;
  }
  return s;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return existsSync(schemaFile(apiVersion, kind));
}

/** The schema's complaints about obj (empty when valid), each as "path: message". */
export function crdErrors(obj: { apiVersion: string; kind: string }): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  let validate = compiled.get(key);
  if (!validate) {
    const stored = JSON.parse(readFileSync(schemaFile(obj.apiVersion, obj.kind), 'utf8')) as StoredSchema;
    const root = strict(stored.openAPIV3Schema) as Schema;
    // apiVersion, kind and metadata are checked by the API server itself, not by the CRD's schema
    validate = ajv.compile({ ...root, additionalProperties: true });
    compiled.set(key, validate);
  }
  if (validate(obj)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`,
  );
}
