import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveClusterTarget } from './cluster-target';

const fixture = path.join(__dirname, 'testdata', 'kubeconfig.yaml');

describe('resolveClusterTarget', () => {
  it('is none without KUBECONFIG or a service account', () => {
    expect(resolveClusterTarget({})).toEqual({ kind: 'none' });
  });

  it('reads the current context and its server from the first KUBECONFIG file', () => {
    expect(resolveClusterTarget({ KUBECONFIG: `${fixture}:/nope` })).toEqual({
      kind: 'kubeconfig',
      path: fixture,
      context: 'lab',
      server: 'https://127.0.0.1:6443',
    });
  });

  it('says when the file is missing', () => {
    const t = resolveClusterTarget({ KUBECONFIG: '/definitely/missing/kubeconfig' });
    expect(t).toMatchObject({ kind: 'invalid', reason: 'the file does not exist' });
  });

  it('names the bad field of a malformed kubeconfig', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kc-'));
    const file = path.join(dir, 'config');
    writeFileSync(file, 'clusters:\n  - name: x\n    cluster: {}\n');
    const t = resolveClusterTarget({ KUBECONFIG: file });
    expect(t.kind).toBe('invalid');
    expect(t.kind === 'invalid' && t.reason).toContain('clusters.0.cluster.server');
  });
});
