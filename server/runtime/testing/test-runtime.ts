/** Test support: a runtime of the test's own (over a lab), made the process's for the test's duration. */

import { KubeConfig } from '@kubernetes/client-node';
import { resolveKubeContexts } from '../../kube/contexts';
import { setRuntime } from '../current';
import { buildRuntime, type Runtime, type RuntimeOptions } from '../runtime';

export interface TestRuntimeOptions extends RuntimeOptions {
  /** A lab's KubeConfig: its current context is the runtime's only one (unless `contexts` names others). */
  kc?: KubeConfig;
}

export interface TestRuntime extends Runtime {
  /** Stops this runtime (its informers, recorders and streams) and puts back the one it replaced. */
  done(): Promise<void>;
}

/** A kubeconfig with `names` as contexts (the first current), pointing where nothing listens (tests that never reach Kubernetes). */
export function nowhereKubeConfig(names: string[] = ['lab']): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'nowhere', server: 'http://127.0.0.1:9', skipTLSVerify: true }],
    users: [{ name: 'nobody' }],
    contexts: names.map((name) => ({ name, cluster: 'nowhere', user: 'nobody' })),
    currentContext: names[0],
  });
  return kc;
}

/**
 * Builds a runtime as the server does (THE composition root, `buildRuntime`) with the test's parts, and makes it the
 * process's: over `kc` when given (else `nowhereKubeConfig()`, unless `contexts` are given), informers that retry after 100 ms, no timeline recorder and no periodic refusal
 * flush unless asked.
 */
export function startTestRuntime(o: TestRuntimeOptions = {}): TestRuntime {
  const kc = o.kc ?? (o.contexts ? undefined : nowhereKubeConfig());
  const { kc: _given, ...rest } = o;
  const rt = buildRuntime({
    informerOptions: { backoffMs: 100 },
    recordTimeline: false,
    refusalFlushMs: 0,
    ...(kc ? { contexts: resolveKubeContexts(undefined, kc), kubeConfig: () => kc } : {}),
    ...rest,
  });
  const previous = setRuntime(rt);
  let finished = false;
  const done = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    setRuntime(previous);
    await rt.stop();
  };
  return Object.assign(rt, { done });
}
