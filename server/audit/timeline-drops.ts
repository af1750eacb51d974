import 'server-only';
import { Counter } from 'prom-client';

/**
 * `control_center_timeline_entries_dropped_total`: timeline entries given up because too many waited for a store
 * that could not be written (per writer: `recorder` or `verdict`). Each drop is also a log line.
 */
const KEY = Symbol.for('control-center.timeline-drops');
type Holder = { [KEY]?: { counter: Counter<'writer'> | null } };

function state() {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    g[KEY] = { counter: null };
    const s = g[KEY];
    import('../observability/server-metrics')
      .then(({ serverMetrics }) => {
        s.counter = new Counter({
          name: 'control_center_timeline_entries_dropped_total',
          help: 'Timeline entries dropped because too many waited for a store that could not be written.',
          labelNames: ['writer'],
          registers: [serverMetrics()],
        });
      })
      .catch((err) => console.error('metrics: no timeline drop counter:', (err as Error).message));
  }
  return g[KEY];
}

/** Counts `n` dropped entries of `writer`. */
export function countTimelineDropped(writer: 'recorder' | 'verdict', n: number): void {
  state().counter?.inc({ writer }, n);
}
