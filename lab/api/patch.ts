import jsonpatch, { type Operation } from 'fast-json-patch';
import mergePatch from 'json-merge-patch';
import { badRequest, StatusError } from '../store/status-error';
import type { KubeObject, ResourceType } from '../store/types';
import { isRecord, mediaType } from './http-util';
import { strategicMerge } from './strategic-merge';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export const PATCH_MEDIA_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type a Content-Type names; 415 for anything else. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const t = PATCH_MEDIA_TYPES[mediaType(contentType)];
  if (!t) throw unsupported(mediaType(contentType) || 'none');
  return t;
}

/** Strategic merge exists only for built-in kinds; real servers answer 415 for custom resources. */
export function supportsStrategic(rt: ResourceType): boolean {
  return ['', 'apps', 'batch', 'coordination.k8s.io'].includes(rt.group);
}

const unsupported = (type: string) =>
  new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${type})`,
  );

const STRUCTURAL = new Set([
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
]);

/**
 * Applies a patch to a copy of `current` (pure: `current` is never changed). `apply` (server-side apply) merges the
 * applied fields like a merge patch. Throws a StatusError: 400 malformed patch, 415 strategic merge on a custom
 * resource, 422 a JSON patch operation that does not apply (the document stays untouched).
 */
export function applyPatch(
  rt: ResourceType,
  current: KubeObject,
  patchType: PatchType,
  body: unknown,
): KubeObject {
  let out: unknown;
  switch (patchType) {
    case 'json': {
      if (!Array.isArray(body)) throw badRequest('json patch must be an array of operations');
      try {
        out = jsonpatch.applyPatch(structuredClone(current), body as Operation[], true, false).newDocument;
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        const msg = (err as Error).message.split('\n')[0] ?? 'invalid json patch';
        if (STRUCTURAL.has(name)) throw badRequest(`invalid json patch: ${msg}`);
        throw new StatusError(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request: ${msg}`,
        );
      }
      break;
    }
    case 'strategic':
      if (!supportsStrategic(rt)) throw unsupported('application/strategic-merge-patch+json');
      if (!isRecord(body)) throw badRequest('strategic merge patch must be a JSON object');
      out = strategicMerge(current, body);
      break;
    default:
      if (!isRecord(body)) throw badRequest(`${patchType} patch must be a JSON object`);
      out = mergePatch.apply(structuredClone(current), patchType === 'apply' ? withoutManaged(body) : body);
  }
  if (!isRecord(out) || !isRecord(out.metadata)) throw badRequest('the patch removed the object metadata');
  return out as KubeObject;
}

function withoutManaged(body: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(body.metadata)) return body;
  const { managedFields: _m, ...metadata } = body.metadata;
  return { ...body, metadata };
}
