import 'server-only';
import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { PendingWrites } from '../audit/pending-writes';
import type { TimelineWriter } from '../audit/timeline-drops';
import { startTimelineRecorder } from '../audit/timeline-recorder';
import { TimelineStore } from '../audit/timeline-store';
import { AccessReviews } from '../kube/access-review';
import { clientsFor, type KubeClients } from '../kube/client';
import { electorIdentity, type LeaderElector } from '../kube/leader-election';
import { type ElectionSettings, electedStore } from '../kube/recorder-leadership';
import { createInformerRegistry, type InformerRegistry, type RegistryOptions } from '../kube/registry';
import type { MetricsSource } from '../metrics/types';
import type { ControlCenterStore, TimelineScope } from '../store/types';
import { StreamHub } from '../stream/hub';
import { RolloutPages } from '../stream/rollout-pages';
import { RolloutSummaries } from '../stream/rollout-summaries';
import { lazy } from './lazy';

/** Everything the control center holds for one kube context, built once by the runtime. */
export interface ContextRuntime {
  readonly name: string;
  readonly clients: KubeClients;
  /** The informer caches of every watched kind; the first read starts them, the stream hub and the recorder. */
  readonly informers: InformerRegistry;
  /** The browser streams' fan-out over those informers (starts them too). */
  readonly hub: StreamHub;
  /** The rollout pages' and the overview's projections over the hub, each shared by every stream of the context. */
  readonly pages: RolloutPages;
  readonly summaries: RolloutSummaries;
  /** Whether the informers run (reads that must not start watches check this first). */
  readonly watching: boolean;
  /** Starts the informers, the hub and the recorder now (idempotent): at boot, and before the judge's first read. */
  start(): void;
  /** Where the judge and the traffic panel read metrics (null: none configured). */
  readonly metrics: MetricsSource | null;
  /** The context's decision timeline (reads; the recorder and the verdicts write to it). */
  readonly timeline: TimelineStore;
  /** The judge's verdicts waiting for the store (retried with back-off until it takes them). */
  readonly verdicts: PendingWrites<TimelineEntry>;
  /** The API server's answers about the control center's own identity (greyed buttons). */
  readonly access: AccessReviews;
  /** The recorder's Lease elector when leader election is on. */
  readonly elector: LeaderElector | undefined;
  /** Stops the recorder, releases the Lease (bounded by the elector), closes the streams' hub and the informers. */
  stop(): Promise<void>;
}

export interface ContextParts {
  name: string;
  /** Read on first use: a judge call that names services only needs no kubeconfig at all. */
  kubeConfig: () => KubeConfig;
  scope: TimelineScope;
  store: () => ControlCenterStore;
  metrics: MetricsSource | null;
  informerOptions: RegistryOptions;
  /** Makes the informers (default: a registry over `kubeConfig` with `informerOptions`). */
  createInformers?: () => InformerRegistry;
  /** The recorder's Lease (null: this replica writes alone). */
  leaderElection: ElectionSettings | null;
  /** Record the decision timeline from the informers (the server does; a test may not want it). */
  recordTimeline: boolean;
  onDropped: (writer: TimelineWriter, n: number) => void;
}

/**
 * Builds one kube context's runtime and wires it: informers → stream hub; informers → timeline recorder → (Lease
 * gate →) timeline store; verdicts → the same store. Nothing here reads the process's configuration: `parts` is all.
 */
export function buildContextRuntime(p: ContextParts): ContextRuntime {
  const kubeConfig = lazy(p.kubeConfig);
  const clients = lazy(() => clientsFor(kubeConfig()));
  const access = lazy(() => new AccessReviews(kubeConfig()));
  const timeline = new TimelineStore(p.scope, p.store);
  const verdicts = new PendingWrites<TimelineEntry>((entries) => timeline.add(entries), {
    name: 'timeline: verdicts',
    onDropped: (n) => p.onDropped('verdict', n),
  });
  type Watched = {
    informers: InformerRegistry;
    hub: StreamHub;
    pages: RolloutPages;
    summaries: RolloutSummaries;
  };
  let watched: Watched | undefined;
  let elector: LeaderElector | undefined;
  let stopRecorder: (() => void) | undefined;
  let stopped = false;

  /** Informers, hub and recorder start together, on first use (a judge call or a timeline read alone starts none). */
  const watch = (): Watched => {
    if (watched) return watched;
    const informers = p.createInformers?.() ?? createInformerRegistry(kubeConfig(), p.informerOptions);
    const hub = new StreamHub(informers);
    watched = { informers, hub, pages: new RolloutPages(hub), summaries: new RolloutSummaries(hub) };
    if (p.recordTimeline) startRecording(informers);
    return watched;
  };

  const startRecording = (informers: InformerRegistry): void => {
    // With leader election, every replica records as a standby that tracks objects; only the Lease holder writes.
    let target = timeline;
    if (p.leaderElection) {
      const s = p.leaderElection;
      const led = electedStore(
        timeline,
        kubeConfig().makeApiClient(CoordinationV1Api),
        s,
        electorIdentity(),
        `${s.namespace}/${s.leaseName} (context ${p.name})`,
        (n) => p.onDropped('recorder', n),
      );
      elector = led.elector;
      target = led.store;
      led.elector.start();
    }
    void informers
      .waitForSync(30_000)
      .then(() => {
        if (stopped) return;
        stopRecorder = startTimelineRecorder(informers, target, undefined, {
          onDropped: (n) => p.onDropped('recorder', n),
        });
      })
      .catch((err) => console.error('timeline: recording is off:', (err as Error).message));
  };

  return {
    name: p.name,
    get clients() {
      return clients();
    },
    get informers() {
      return watch().informers;
    },
    get hub() {
      return watch().hub;
    },
    get pages() {
      return watch().pages;
    },
    get summaries() {
      return watch().summaries;
    },
    get watching() {
      return watched !== undefined;
    },
    start: () => void watch(),
    metrics: p.metrics,
    timeline,
    verdicts,
    get access() {
      return access();
    },
    get elector() {
      return elector;
    },
    async stop() {
      stopped = true;
      stopRecorder?.();
      await elector?.stop();
      if (watched) {
        watched.hub.close();
        await watched.informers.stop();
      }
    },
  };
}
