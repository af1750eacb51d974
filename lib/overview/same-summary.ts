import type { RolloutSummary } from '@/lib/rollout/rollout-view';

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k])
  );
};

/** Two summaries say the same (fields equal; `step`, the one nested field, compared by its fields). */
export function sameSummary(a: RolloutSummary, b: RolloutSummary): boolean {
  const ka = Object.keys(a) as Array<keyof RolloutSummary>;
  return ka.length === Object.keys(b).length && ka.every((k) => sameValue(a[k], b[k]));
}
