/**
 * Every kustomization under manifests/ renders with plain `kubectl kustomize DIR` (no flags: no --load-restrictor),
 * with the kubectl installed here (KUBECTL names another binary, e.g. an older release to try).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { requireTool } from '@/support/testing/tools';

const ROOT = path.resolve(__dirname, '../..');
const FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function kustomizationFolders(dir: string): string[] {
  const out: string[] = [];
  if (FILE_NAMES.some((f) => existsSync(path.join(dir, f)))) out.push(path.relative(ROOT, dir));
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...kustomizationFolders(path.join(dir, e.name)));
  }
  return out;
}

const folders = kustomizationFolders(path.join(ROOT, 'manifests')).sort();
const kubectl = process.env.KUBECTL || requireTool('kubectl');

function hasPatchDirective(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasPatchDirective);
  if (v && typeof v === 'object') {
    return Object.entries(v).some(([k, x]) => k.startsWith('$patch') || hasPatchDirective(x));
  }
  return false;
}

describe(`kubectl kustomize, no flags (${kubectl})`, () => {
  it('finds the kustomizations (the walk is real)', () => {
    expect(folders).toEqual(
      expect.arrayContaining(['manifests/app', 'manifests/demo/kind', 'manifests/kind']),
    );
  });

  it.each(folders)('%s renders', (folder) => {
    const r = spawnSync(kubectl, ['kustomize', folder], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status, `kubectl kustomize ${folder}:\n${r.stderr}`).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown> | null);
    const objects = docs.filter((d): d is Record<string, unknown> => d !== null);
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      const meta = o.metadata as { name?: unknown } | undefined;
      expect(typeof o.apiVersion, JSON.stringify(o)).toBe('string');
      expect(typeof o.kind, JSON.stringify(o)).toBe('string');
      expect(typeof meta?.name, JSON.stringify(o)).toBe('string');
      // A patch directive left in the output means the kustomize did not understand the patch.
      expect(hasPatchDirective(o), `${folder}: ${o.kind}/${meta?.name} keeps a $patch directive`).toBe(false);
    }
  });
});
