/**
 * The CRD schemas the manifests are checked against, taken from the upstream repositories at the pinned tags
 * (manifests/versions.env) and kept in testdata/crds/ (one JSON file per kind and version, naming its source).
 * Refresh after a pin moves: node --import tsx scripts/cluster/crd-schemas.ts (downloads from raw.githubusercontent.com,
 * or reads CRD_SOURCE_DIR/<owner>/<repo>/<tag>/<path> when set), then `npx biome format --write scripts/cluster/testdata/crds`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

export interface CrdSource {
  repo: string;
  /** The versions.env key holding the tag. */
  pin: string;
  path: string;
  kinds: Array<{ kind: string; version: string }>;
}

export const CRD_SOURCES: CrdSource[] = [
  {
    repo: 'argoproj/argo-rollouts',
    pin: 'ARGO_ROLLOUTS_VERSION',
    path: 'manifests/crds/rollout-crd.yaml',
    kinds: [{ kind: 'Rollout', version: 'v1alpha1' }],
  },
  {
    repo: 'argoproj/argo-rollouts',
    pin: 'ARGO_ROLLOUTS_VERSION',
    path: 'manifests/crds/analysis-template-crd.yaml',
    kinds: [{ kind: 'AnalysisTemplate', version: 'v1alpha1' }],
  },
  {
    repo: 'argoproj/argo-cd',
    pin: 'ARGOCD_VERSION',
    path: 'manifests/crds/application-crd.yaml',
    kinds: [{ kind: 'Application', version: 'v1alpha1' }],
  },
  {
    repo: 'istio/istio',
    pin: 'ISTIO_VERSION',
    path: 'manifests/charts/base/files/crd-all.gen.yaml',
    kinds: [
      { kind: 'VirtualService', version: 'v1' },
      { kind: 'Gateway', version: 'v1' },
      { kind: 'DestinationRule', version: 'v1' },
    ],
  },
];

const crdSchema = z.object({
  kind: z.literal('CustomResourceDefinition'),
  spec: z.object({
    group: z.string(),
    names: z.object({ kind: z.string() }),
    versions: z.array(
      z.object({
        name: z.string(),
        schema: z.object({ openAPIV3Schema: z.record(z.string(), z.unknown()) }),
      }),
    ),
  }),
});

export interface StoredSchema {
  $comment: string;
  apiVersion: string;
  kind: string;
  openAPIV3Schema: Record<string, unknown>;
}

/** The openAPIV3Schema of each wanted kind/version in a multi-document CRD file; throws when one is missing. */
export function extractSchemas(text: string, source: CrdSource, tag: string): StoredSchema[] {
  const crds = parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d) => (d as { kind?: string } | null)?.kind === 'CustomResourceDefinition')
    .map((d) => crdSchema.parse(d));
  return source.kinds.map(({ kind, version }) => {
    const crd = crds.find((c) => c.spec.names.kind === kind);
    const v = crd?.spec.versions.find((x) => x.name === version);
    if (!crd || !v) throw new Error(`${source.repo}@${tag} ${source.path}: no ${kind} ${version}`);
    return {
      $comment: `${source.repo} ${tag} ${source.path}: spec.versions[${version}].schema.openAPIV3Schema of ${kind}`,
      apiVersion: `${crd.spec.group}/${version}`,
      kind,
      openAPIV3Schema: v.schema.openAPIV3Schema,
    };
  });
}

export const CRD_DIR = path.join(__dirname, 'testdata/crds');
export const schemaFile = (apiVersion: string, kind: string) =>
  path.join(CRD_DIR, `${apiVersion.replace('/', '_')}_${kind}.json`);

async function refresh(): Promise<void> {
  const pins = Object.fromEntries(
    readFileSync(path.join(__dirname, '../../manifests/versions.env'), 'utf8')
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  ) as Record<string, string>;
  mkdirSync(CRD_DIR, { recursive: true });
  for (const source of CRD_SOURCES) {
    const tag = pins[source.pin];
    if (!tag) throw new Error(`versions.env has no ${source.pin}`);
    const dir = process.env.CRD_SOURCE_DIR;
    const text = dir
      ? readFileSync(path.join(dir, source.repo, tag, source.path), 'utf8')
      : await (await fetch(`https://raw.githubusercontent.com/${source.repo}/${tag}/${source.path}`)).text();
    for (const s of extractSchemas(text, source, tag)) {
      writeFileSync(schemaFile(s.apiVersion, s.kind), `${JSON.stringify(s, null, 2)}\n`);
      console.log(`${s.apiVersion} ${s.kind} <- ${s.$comment}`);
    }
  }
}

if (process.argv[1]?.endsWith('crd-schemas.ts')) {
  refresh().catch((err: unknown) => {
    console.error(`crd-schemas: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
