import type { WeightObservation } from './holds';
import type { Kube, Obj } from './kube';

export interface RolloutState {
  phase: string;
  message: string;
  step: number | null;
  steps: number;
  currentHash: string | null;
  stableHash: string | null;
  image: string;
  abort: boolean;
  analysis: string | null;
  /** The controller has seen the latest spec (status.observedGeneration == metadata.generation). */
  observed: boolean;
  generation: number | null;
  /** Argo writes it as a string; null before the controller's first pass. */
  observedGeneration: number | null;
  /** When the controller carried out an abort (cleared once it has carried out a retry). */
  abortedAt: string | null;
}

type Status = {
  phase?: string;
  message?: string;
  currentStepIndex?: number;
  currentPodHash?: string;
  stableRS?: string;
  abort?: boolean;
  abortedAt?: string;
  observedGeneration?: string | number;
  canary?: { currentStepAnalysisRunStatus?: { name?: string; status?: string } };
};

export function stateOf(ro: Obj): RolloutState {
  const spec = ro.spec as {
    strategy?: { canary?: { steps?: unknown[] } };
    template?: { spec?: { containers?: Array<{ image?: string }> } };
  };
  const st = (ro.status ?? {}) as Status;
  const ar = st.canary?.currentStepAnalysisRunStatus;
  const num = (v: unknown) =>
    v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v);
  return {
    phase: st.phase ?? 'Unknown',
    message: st.message ?? '',
    step: st.currentStepIndex ?? null,
    steps: spec.strategy?.canary?.steps?.length ?? 0,
    currentHash: st.currentPodHash ?? null,
    stableHash: st.stableRS ?? null,
    image: spec.template?.spec?.containers?.[0]?.image ?? '',
    abort: st.abort === true,
    analysis: ar?.name ? `${ar.status ?? '?'}` : null,
    observed:
      String(st.observedGeneration ?? '') ===
      String((ro.metadata as { generation?: number }).generation ?? ''),
    generation: num((ro.metadata as { generation?: number }).generation),
    observedGeneration: num(st.observedGeneration),
    abortedAt: st.abortedAt ?? null,
  };
}

/** The weight the VirtualService sends to the canary service (route by name, else the first route). */
export function canaryWeight(vs: Obj, canaryService: string): number {
  const http = ((
    vs.spec as { http?: Array<{ route?: Array<{ destination?: { host?: string }; weight?: number }> }> }
  ).http ?? [])[0];
  const r = http?.route?.find((d) => (d.destination?.host ?? '').split('.')[0] === canaryService);
  return r?.weight ?? 0;
}

export interface FollowResult {
  final: RolloutState;
  seconds: number;
  /** Seconds from the canary first getting traffic to the VirtualService sending 100 % to stable again. */
  faultToStableSeconds: number | null;
  timedOut: boolean;
  /** The canary's weight each time the VirtualService changed (a watch; polls fill in while it reconnects). */
  weights: WeightObservation[];
  /** When following began and ended (ms since the epoch). */
  startedAt: number;
  endedAt: number;
}

/**
 * Records the canary weight of every version of the VirtualService from a watch, which reconnects when the server ends
 * it. `watching` is false until the first event and while reconnecting.
 */
export function recordWeights(
  kube: Kube,
  ns: string,
  vs: string,
  canaryService: string,
  weights: WeightObservation[],
): { watching: () => boolean; stop: () => void } {
  let watching = false;
  let stopped = false;
  let stopWatch: (() => void) | null = null;
  const start = async () => {
    if (stopped) return;
    try {
      stopWatch = await kube.watchVirtualService(
        ns,
        vs,
        (obj) => {
          watching = true;
          weights.push({ at: Date.now(), weight: canaryWeight(obj, canaryService) });
        },
        () => {
          watching = false;
          stopWatch = null;
          if (!stopped) setTimeout(() => void start(), 1000).unref();
        },
      );
      if (stopped) stopWatch();
    } catch {
      watching = false;
      if (!stopped) setTimeout(() => void start(), 1000).unref();
    }
  };
  void start();
  return {
    watching: () => watching,
    stop: () => {
      stopped = true;
      stopWatch?.();
    },
  };
}

/** Polls the rollout every second, printing one live progress line, until it settles or `timeoutSeconds` pass. */
export async function follow(
  kube: Kube,
  ns: string,
  name: string,
  opts: { vs: string; canaryService: string; timeoutSeconds: number; isDone: (s: RolloutState) => boolean },
  /** Called every second; `changed` is false when only the clock moved. */
  progress: (line: string, changed: boolean) => void,
): Promise<FollowResult> {
  const start = Date.now();
  const weights: WeightObservation[] = [];
  const recorder = recordWeights(kube, ns, opts.vs, opts.canaryService, weights);
  let firstTraffic: number | null = null;
  let backToStable: number | null = null;
  let state = stateOf(await kube.rollout(ns, name));
  let lastLine = '';
  let doneAt: number | undefined;
  while ((Date.now() - start) / 1000 < opts.timeoutSeconds) {
    state = stateOf(await kube.rollout(ns, name));
    const weight = canaryWeight(await kube.virtualService(ns, opts.vs), opts.canaryService);
    if (!recorder.watching()) weights.push({ at: Date.now(), weight });
    if (weight > 0 && firstTraffic === null) firstTraffic = Date.now();
    if (weight === 0 && firstTraffic !== null && state.abort && backToStable === null)
      backToStable = Date.now();
    const elapsed = ((Date.now() - start) / 1000).toFixed(0).padStart(4);
    const step = state.step === null ? '-' : `${Math.min(state.step, state.steps)}/${state.steps}`;
    const line =
      `${state.phase.padEnd(11)} step ${step.padEnd(5)} canary ${String(weight).padStart(3)} %` +
      `${state.analysis ? `  analysis ${state.analysis}` : ''}${state.message ? `  ${state.message.slice(0, 70)}` : ''}`;
    progress(`${elapsed}s  ${line}`, line !== lastLine);
    lastLine = line;
    if (opts.isDone(state)) {
      // Settled: once the canary's weight is back to 0 (or after 5 s) the last hold is over.
      doneAt ??= Date.now();
      if (weight === 0 || Date.now() - doneAt > 5000) {
        if (weight === 0 && weights.at(-1)?.weight !== 0) weights.push({ at: Date.now(), weight });
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const done = opts.isDone(state);
  recorder.stop();
  const endedAt = Date.now();
  return {
    final: state,
    weights,
    startedAt: start,
    endedAt,
    seconds: (endedAt - start) / 1000,
    faultToStableSeconds:
      firstTraffic !== null && backToStable !== null ? (backToStable - firstTraffic) / 1000 : null,
    timedOut: !done,
  };
}
