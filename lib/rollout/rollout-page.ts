import { faultsOf, timeline } from '@/lib/client/select';
import type { Rollout } from './kube-types';
import { ownedBy } from './ownership';
import type { RolloutPage, RolloutPagePatch } from './page-patch';
import { type ListInNamespace, rolloutContext } from './rollout-context';
import { type RolloutView, rolloutView } from './rollout-view';

// The page's shape, its patches and what the browser applies live in page-patch.ts (no projection code there, so
// the browser's bundle does not carry it); they are exported from here too.
export {
  applyPagePatch,
  loadAt,
  RECENT_ENTRIES,
  type RolloutPage,
  type RolloutPageMessage,
  type RolloutPagePatch,
  withAdded,
} from './page-patch';

export const pageKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * The page of rollout `namespace/name` from the objects of its namespace (`ro` undefined: it does not exist), with the
 * timeline entries derived so far (`recent`: the projection keeps them, nothing here derives any).
 */
export function rolloutPage(
  ro: Rollout | undefined,
  list: ListInNamespace,
  namespace: string,
  name: string,
  recent: RolloutPage['recent'] = [],
): RolloutPage {
  return {
    view: ro ? rolloutView(ro, rolloutContext(ro, list, 0)) : null,
    events: timeline(list('event', namespace), namespace, name),
    faults: faultsOf(list('configmap', namespace), namespace),
    runsVersion: list('analysisrun', namespace)
      .filter((r) => ownedBy(r, 'Rollout', name))
      .map((r) => r.metadata?.resourceVersion ?? '')
      .join(','),
    recent,
  };
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** What changed from `prev` to `next`, or null when nothing did (the change is then not sent at all). */
export function diffPage(prev: RolloutPage, next: RolloutPage): RolloutPagePatch | null {
  const patch: RolloutPagePatch = {};
  if (!next.view || !prev.view) {
    if (next.view !== prev.view) patch.view = next.view;
  } else {
    const fields: Partial<Record<keyof RolloutView, unknown>> = {};
    let changed = false;
    for (const k of Object.keys(next.view) as Array<keyof RolloutView>) {
      if (same(prev.view[k], next.view[k])) continue;
      fields[k] = next.view[k];
      changed = true;
    }
    if (changed) patch.view = fields as Partial<RolloutView>;
  }
  if (!same(prev.events, next.events)) patch.events = next.events;
  if (!same(prev.faults, next.faults)) patch.faults = next.faults;
  if (prev.runsVersion !== next.runsVersion) patch.runsVersion = next.runsVersion;
  return Object.keys(patch).length ? patch : null;
}
