import type { Scenario } from './types';

/** A canary whose pods exit at start (WARMUP_MS=-1 fails the demo app's config check): it must never be promoted. */
export const crashLoop: Scenario = {
  name: 'canary pod crash-looping',
  kind: 'crash-loop',
  expected: 'no-promote',
  fault: 'the canary template sets WARMUP_MS=-1, so every canary pod exits 1 at start (CrashLoopBackOff)',
  timeoutMs: { full: 300_000, quick: 150_000 },
};
