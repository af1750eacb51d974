import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveKubeContexts } from '../kube/contexts';
import { runtime, setRuntime } from './current';
import { buildRuntime, type Runtime } from './runtime';
import { nowhereKubeConfig, startTestRuntime } from './testing/test-runtime';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Modules that keep state on globalThis besides the runtime's one holder, each for a reason. Anything else must take
 * its state from the runtime (server/runtime/), or a second bundle of Next.js would see a second copy.
 */
const EXCEPTIONS: Record<string, string> = {
  'server/runtime/current.ts': 'THE holder of the runtime',
  'lib/security-headers.ts':
    'the CSP nonce key without AUTH_SECRET, shared by the proxy and the pages, which run without the server runtime',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === 'testing' || f === 'testdata' ? [] : sources(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

describe('one holder', () => {
  it('no server, route, page or library module keeps state on globalThis but the runtime', () => {
    const holding = ['server', 'app', 'lib', 'components']
      .flatMap((d) => sources(path.join(ROOT, d)))
      .filter((f) => /globalThis/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
      .sort();
    expect(holding).toEqual(Object.keys(EXCEPTIONS).sort());
  });
});

describe('the composition root', () => {
  let made: Runtime | undefined;
  afterEach(async () => {
    await made?.stop();
    made = undefined;
  });

  it('builds each context once, reads its kubeconfig once, and its parts only when first used', () => {
    const kc = nowhereKubeConfig(['staging', 'prod']);
    const asked: string[] = [];
    made = buildRuntime({
      contexts: resolveKubeContexts(
        [{ name: 'staging' }, { name: 'prod', prometheusUrl: 'http://127.0.0.1:9' }],
        kc,
      ),
      kubeConfig: (name) => {
        asked.push(name);
        return kc;
      },
      recordTimeline: false,
      refusalFlushMs: 0,
    });
    expect(made.started().size).toBe(0);
    const staging = made.context();
    expect(staging.name).toBe('staging');
    // Identity, compared without expect's deep diff (which would read every getter, and so start the watches).
    expect(made.context('staging') === staging).toBe(true);
    const prod = made.context('prod');
    expect(prod === staging).toBe(false);
    // The kubeconfig is read when a context first needs it, once per context.
    expect(asked).toEqual([]);
    const clients = staging.clients;
    expect(made.context('staging').clients === clients).toBe(true);
    void prod.clients;
    void made.context('prod').clients;
    expect(asked).toEqual(['staging', 'prod']);
    // The context's own Prometheus; the default context has none configured here.
    expect(prod.metrics).not.toBeNull();
    // Clients, timeline and verdicts without a watch: a judge call or a timeline read starts no informer.
    expect(staging.watching).toBe(false);
    const hub = staging.hub;
    expect(made.context('staging').hub === hub).toBe(true);
    expect(staging.watching).toBe(true);
    expect(prod.watching).toBe(false);
    // Boot starts a context's watches (and so its standby recorder) without reading anything.
    made.context('prod').start();
    expect(prod.watching).toBe(true);
    expect([...made.started().keys()]).toEqual(['staging', 'prod']);
  });

  it('the holder gives every caller the same runtime until a test puts its own in place and back', async () => {
    const before = runtime();
    expect(runtime()).toBe(before);
    const rt = startTestRuntime();
    expect(runtime()).toBe(rt);
    await rt.done();
    expect(runtime()).toBe(before);
    // A replaced runtime is handed back to be stopped by whoever replaced it.
    const own = buildRuntime({ refusalFlushMs: 0, recordTimeline: false });
    expect(setRuntime(own)).toBe(before);
    expect(setRuntime(before)).toBe(own);
    await own.stop();
  });
});
