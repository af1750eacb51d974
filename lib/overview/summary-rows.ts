import type { KubeObject, Rollout } from '@/lib/rollout/kube-types';
import { type ListInNamespace, rolloutContext } from '@/lib/rollout/rollout-context';
import { type RolloutSummary, rolloutSummary } from '@/lib/rollout/rollout-view';
import type { WatchedKind } from '@/lib/rollout/watched-kinds';

/** The kinds a rollout's summary is built from besides the Rollout itself (what `rolloutContext` lists). */
const CONTEXT_KINDS = ['replicaset', 'analysisrun', 'pod', 'virtualservice', 'job'] as const;
type ContextKind = (typeof CONTEXT_KINDS)[number];
type ObjectsOf = Readonly<Record<'rollout' | ContextKind, readonly KubeObject[]>>;

const EMPTY: readonly KubeObject[] = Object.freeze([]);

const sameItems = (a: readonly KubeObject[], b: readonly KubeObject[]) =>
  a.length === b.length && a.every((o, i) => o === b[i]);

/**
 * One kind's objects by namespace. Regrouped only when the kind's list is a new array, and a namespace whose objects
 * are the same as before keeps its old array: the identity of a namespace's list says whether it changed.
 */
class NamespaceIndex {
  private source: readonly KubeObject[] | null = null;
  private byNs = new Map<string, readonly KubeObject[]>();

  /** Takes the kind's current list; adds to `changed` each namespace whose list is not the one it was. */
  update(list: readonly KubeObject[], changed: Set<string>): void {
    if (list === this.source) return;
    const next = new Map<string, KubeObject[]>();
    for (const o of list) {
      const ns = o.metadata?.namespace ?? '';
      const l = next.get(ns);
      if (l) l.push(o);
      else next.set(ns, [o]);
    }
    const kept = new Map<string, readonly KubeObject[]>();
    for (const [ns, l] of next) {
      const prev = this.byNs.get(ns);
      const same = prev !== undefined && sameItems(prev, l);
      kept.set(ns, same ? prev : l);
      if (!same) changed.add(ns);
    }
    for (const ns of this.byNs.keys()) if (!kept.has(ns)) changed.add(ns);
    this.byNs = kept;
    this.source = list;
  }

  get(ns: string): readonly KubeObject[] {
    return this.byNs.get(ns) ?? EMPTY;
  }
}

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

const keyOf = (ro: KubeObject) => `${ro.metadata?.namespace ?? ''}/${ro.metadata?.name ?? ''}`;

interface Entry {
  ro: KubeObject;
  deps: ReadonlyArray<readonly KubeObject[]>;
  summary: RolloutSummary;
}

/**
 * The overview rows of one stream, kept from change to change: a row is rebuilt only when its Rollout or one of its
 * namespace's lists it is built from changed, and a rebuilt row equal to the one before stays the same object; the
 * array stays the same when no row changed. So a change touches one row (React skips the rest by identity) and costs
 * one `rolloutSummary`, not one per rollout. A summary does not read the clock (the view's only clock-dependent part,
 * the load progress, is not in it), so the clock is not an input.
 */
export class SummaryRows {
  private readonly index = new Map<ContextKind, NamespaceIndex>(
    CONTEXT_KINDS.map((k) => [k, new NamespaceIndex()]),
  );
  private entries = new Map<string, Entry>();
  private objects: ObjectsOf | null = null;
  private out: RolloutSummary[] = [];

  /** `context`: tagged on every row (the control center watches several kube contexts). */
  constructor(private readonly context?: string) {}

  rows(objects: ObjectsOf): RolloutSummary[] {
    if (objects === this.objects) return this.out;
    const before = this.objects?.rollout;
    this.objects = objects;
    const changed = new Set<string>();
    for (const k of CONTEXT_KINDS) this.index.get(k)?.update(objects[k], changed);
    const list = objects.rollout;
    // The same Rollouts at the same places (a change, not an add or delete): only the Rollouts that are new objects
    // and those of namespaces whose lists changed are looked at; the rest keep their rows without a look.
    if (before && before.length === list.length && this.out.length === list.length) {
      let out: RolloutSummary[] | null = null;
      for (let i = 0; i < list.length; i++) {
        const ro = list[i] as KubeObject;
        const was = before[i] as KubeObject;
        if (ro === was && (changed.size === 0 || !changed.has(ro.metadata?.namespace ?? ''))) continue;
        if (ro !== was && keyOf(ro) !== keyOf(was)) return this.rebuild(list);
        const summary = this.summaryOf(ro);
        if (summary !== this.out[i]) {
          out ??= this.out.slice();
          out[i] = summary;
        }
      }
      if (out) this.out = out;
      return this.out;
    }
    return this.rebuild(list);
  }

  /** Every row, looked at one by one (an add, a delete or the first snapshot); drops the rows of deleted Rollouts. */
  private rebuild(list: readonly KubeObject[]): RolloutSummary[] {
    const live = new Set<string>();
    const out = list.map((ro) => {
      live.add(keyOf(ro));
      return this.summaryOf(ro);
    });
    for (const key of this.entries.keys()) if (!live.has(key)) this.entries.delete(key);
    if (out.length !== this.out.length || out.some((s, i) => s !== this.out[i])) this.out = out;
    return this.out;
  }

  /** The row of one Rollout: the one before when neither it nor its namespace's lists changed, or equal to it. */
  private summaryOf(ro: KubeObject): RolloutSummary {
    const ns = ro.metadata?.namespace ?? '';
    const key = keyOf(ro);
    const deps = CONTEXT_KINDS.map((k) => this.list(k, ns));
    const prev = this.entries.get(key);
    if (prev && prev.ro === ro && prev.deps.every((d, i) => d === deps[i])) return prev.summary;
    const built = rolloutSummary(ro as Rollout, rolloutContext(ro as Rollout, this.list, 0));
    const fresh = this.context ? { ...built, context: this.context } : built;
    const summary = prev && sameSummary(prev.summary, fresh) ? prev.summary : fresh;
    this.entries.set(key, { ro, deps, summary });
    return summary;
  }

  private readonly list: ListInNamespace = (kind: WatchedKind, ns: string) =>
    this.index.get(kind as ContextKind)?.get(ns) ?? EMPTY;
}
