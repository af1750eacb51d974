import type { ContainerRunner } from './container-runner';
import { nowIso } from './owner';

export interface PodStatusInput {
  containers: ContainerRunner[];
  /** Containers whose image the lab cannot run (the pod stays Pending). */
  unavailable: Array<{ name: string; image: string }>;
  terminating: boolean;
  startTime: string;
  host: string;
}

/** Tracks lastTransitionTime per condition type across status computations. */
export class ConditionClock {
  private readonly seen = new Map<string, { status: string; at: string }>();

  constructor(previous: Array<{ type: string; status: string; lastTransitionTime?: string }> = []) {
    for (const c of previous)
      this.seen.set(c.type, { status: c.status, at: c.lastTransitionTime ?? nowIso() });
  }

  condition(type: string, ok: boolean, reason?: string): Record<string, unknown> {
    const status = ok ? 'True' : 'False';
    const prev = this.seen.get(type);
    const at = prev && prev.status === status ? prev.at : nowIso();
    this.seen.set(type, { status, at });
    return { type, status, lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}) };
  }
}

export function podPhaseOf(input: PodStatusInput): string {
  if (input.unavailable.length) return 'Pending';
  const cs = input.containers;
  if (!cs.length) return 'Pending';
  if (cs.some((c) => c.running || c.restarting)) return 'Running';
  if (cs.every((c) => c.exitCode !== undefined))
    return cs.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
  return 'Pending';
}

export function buildPodStatus(input: PodStatusInput, clock: ConditionClock): Record<string, unknown> {
  const phase = podPhaseOf(input);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const containerStatuses = input.unavailable.length
    ? input.unavailable.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: {
          waiting: {
            reason: 'ErrImagePull',
            message: `image not available in the lab: ${c.image} (the lab runs webapp:<tag> and loadgen images)`,
          },
        },
        lastState: {},
      }))
    : input.containers.map((c) => c.status());
  const containersReady =
    !input.unavailable.length && input.containers.length > 0 && input.containers.every((c) => c.ready);
  const notReadyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  return {
    phase,
    conditions: [
      clock.condition('PodReadyToStartContainers', true),
      clock.condition('Initialized', true),
      clock.condition(
        'Ready',
        containersReady && !input.terminating,
        containersReady && !input.terminating ? undefined : notReadyReason,
      ),
      clock.condition('ContainersReady', containersReady, containersReady ? undefined : notReadyReason),
      clock.condition('PodScheduled', true),
    ],
    hostIP: input.host,
    hostIPs: [{ ip: input.host }],
    podIP: input.host,
    podIPs: [{ ip: input.host }],
    startTime: input.startTime,
    containerStatuses,
    qosClass: 'BestEffort',
  };
}
