import 'server-only';
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { RefusalAudit } from '../audit/refusal-audit';
import { timelineDropCounter } from '../audit/timeline-drops';
import { UnattributedCounts } from '../audit/unattributed';
import { HashSlots } from '../auth/hash-slots';
import { LoginThrottle } from '../auth/login-throttle';
import { fixedWindowLimiter, type Limiter } from '../auth/rate-limit';
import { controlCenterConfig, leaderElectionSettings } from '../config/control-center-config';
import { env } from '../config/env';
import {
  type KubeContextInfo,
  type KubeContexts,
  loadKubeConfig,
  readKubeContexts,
  timelineScopeIn,
} from '../kube/contexts';
import type { ElectionSettings } from '../kube/recorder-leadership';
import type { InformerRegistry, RegistryOptions } from '../kube/registry';
import { metricsSourceFor } from '../metrics/source';
import type { MetricsSource } from '../metrics/types';
import { createServerMetrics } from '../observability/server-metrics';
import { openStore } from '../store';
import type { ControlCenterStore } from '../store/types';
import { StreamSlots } from '../stream/slots';
import { buildContextRuntime, type ContextRuntime } from './context-runtime';
import { lazy } from './lazy';

/** Password sign-in's throttle and hashing slots. */
export interface LoginGate {
  throttle: LoginThrottle;
  slots: HashSlots;
}

/**
 * Everything the control center's server holds, built in one place (`buildRuntime`) and reached through one holder
 * (`runtime()` in ./current.ts). Parts are made on first use, so a process that never streams opens no informer
 * and one that never signs in opens no store.
 */
export interface Runtime {
  /** The kube contexts watched (CONTROL_CENTER_CONFIG `contexts:`, else the kubeconfig's current one). */
  readonly contexts: KubeContexts;
  /** The audit log, timeline and session store (opened on first use). */
  store(): ControlCenterStore;
  /** Puts another store in its place (tests); undefined: the configured one is opened again on next use. */
  useStore(s: ControlCenterStore | undefined): void;
  /** A kube context's runtime (default: the default context), built on first use and kept. */
  context(name?: string): ContextRuntime;
  /** Every context built so far. */
  started(): ReadonlyMap<string, ContextRuntime>;
  /** The server's own metrics (`/api/metrics`). */
  readonly metrics: Registry;
  /** Refused actions, aggregated before the audit log. */
  readonly refusals: RefusalAudit;
  /** 401s, counted per source (they name no user, so they are not audit rows). */
  readonly unauthenticated: UnattributedCounts;
  /** The per-user action limit. */
  readonly actionLimiter: Limiter;
  /** Password sign-in's throttle and hashing slots (tests put their own in place). */
  loginGate: LoginGate;
  readonly streamSlots: StreamSlots;
  /** The session secret when AUTH_SECRET is unset in the lab (per process: sessions end with it). */
  readonly labSecret: string;
  /** Marks the peer address the server stamps on each request (server/http/peer-header.ts). */
  readonly peerToken: string;
  /** Whether the timeline recorder is led by a Lease (several replicas on one store). */
  readonly leaderElection: ElectionSettings | null;
  /** Stops every context (recorders, Leases, streams, informers) and the periodic refusal flush. */
  stop(): Promise<void>;
}

/** What a runtime is built from; every field defaults to the process's configuration (tests pass their own). */
export interface RuntimeOptions {
  contexts?: KubeContexts;
  /** The KubeConfig of a context (default: the kubeconfig switched to it when contexts are configured). */
  kubeConfig?: (context: string) => KubeConfig;
  store?: () => ControlCenterStore;
  metricsSource?: (context: KubeContextInfo | undefined) => MetricsSource | null;
  informerOptions?: RegistryOptions;
  /** Makes a context's informers (tests: a registry of their own); default: over its KubeConfig. */
  informers?: (context: string) => InformerRegistry;
  leaderElection?: ElectionSettings | null;
  /** Record the decision timeline from each context's informers (default true). */
  recordTimeline?: boolean;
  loginGate?: LoginGate;
  /** How often aggregated refusal counts are written (default 15 s; 0: never by itself). */
  refusalFlushMs?: number;
}

/** THE COMPOSITION ROOT: builds the process's runtime and wires its parts explicitly. */
export function buildRuntime(o: RuntimeOptions = {}): Runtime {
  const contexts = lazy(() => o.contexts ?? readKubeContexts());
  let current: ControlCenterStore | undefined;
  const store = (): ControlCenterStore => {
    current ??= (o.store ?? openStore)();
    return current;
  };
  const leaderElection = lazy(() =>
    o.leaderElection !== undefined ? o.leaderElection : leaderElectionSettings(),
  );
  const built = new Map<string, ContextRuntime>();
  // The scrape reads only the contexts that watch: it never starts informers itself.
  const metrics = createServerMetrics(() => new Map([...built].filter(([, c]) => c.watching)));
  const countDropped = timelineDropCounter(metrics);
  const refusals = new RefusalAudit({ store });
  const flushEvery = o.refusalFlushMs ?? 15_000;
  // An idle process keeps no refusal count unwritten for long; a failed write is logged, never thrown.
  const flushing =
    flushEvery > 0
      ? setInterval(
          () =>
            void refusals
              .flush()
              .catch((err) =>
                console.error('audit: could not write refusal counts:', (err as Error).message),
              ),
          flushEvery,
        ).unref()
      : undefined;
  const kubeConfig = (name: string): KubeConfig =>
    o.kubeConfig ? o.kubeConfig(name) : contexts().explicit ? loadKubeConfig(name) : loadKubeConfig();
  const metricsSource = (info: KubeContextInfo | undefined) =>
    o.metricsSource ? o.metricsSource(info) : metricsSourceFor(info, env());
  const labSecret = lazy(() => randomBytes(32).toString('hex'));

  const context = (requested?: string): ContextRuntime => {
    const c = contexts();
    const name = requested ?? c.defaultName;
    let rt = built.get(name);
    if (!rt) {
      rt = buildContextRuntime({
        name,
        kubeConfig: () => kubeConfig(name),
        scope: timelineScopeIn(c, name),
        store,
        metrics: metricsSource(c.list.find((x) => x.name === name)),
        informerOptions: o.informerOptions ?? { namespaces: controlCenterConfig().namespaces },
        ...(o.informers
          ? { createInformers: () => (o.informers as (c: string) => InformerRegistry)(name) }
          : {}),
        leaderElection: leaderElection(),
        recordTimeline: o.recordTimeline ?? true,
        onDropped: countDropped,
      });
      built.set(name, rt);
    }
    return rt;
  };

  return {
    get contexts() {
      return contexts();
    },
    store,
    useStore: (s) => {
      current = s;
    },
    context,
    started: () => built,
    metrics,
    refusals,
    unauthenticated: new UnattributedCounts(metrics),
    actionLimiter: fixedWindowLimiter({
      limit: () => controlCenterConfig().auth.actionsPerMinute,
      windowMs: 60_000,
    }),
    loginGate: o.loginGate ?? { throttle: new LoginThrottle(), slots: new HashSlots(4, 16) },
    streamSlots: new StreamSlots(() => controlCenterConfig().streams),
    get labSecret() {
      return labSecret();
    },
    peerToken: randomBytes(16).toString('hex'),
    get leaderElection() {
      return leaderElection();
    },
    async stop() {
      if (flushing) clearInterval(flushing);
      const all = [...built.values()];
      built.clear();
      await Promise.all(all.map((c) => c.stop()));
    },
  };
}
