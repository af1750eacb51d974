import 'server-only';
import { Counter, type Registry } from 'prom-client';

/** Who gave entries up: the informer-driven recorder or the judge's verdicts. */
export type TimelineWriter = 'recorder' | 'verdict';

/**
 * `control_center_timeline_entries_dropped_total` on `registry`: timeline entries given up because too many waited
 * for a store that could not be written (per writer). Each drop is also a log line. Returns the counting function.
 */
export function timelineDropCounter(registry: Registry): (writer: TimelineWriter, n: number) => void {
  const counter = new Counter({
    name: 'control_center_timeline_entries_dropped_total',
    help: 'Timeline entries dropped because too many waited for a store that could not be written.',
    labelNames: ['writer'],
    registers: [registry],
  });
  return (writer, n) => counter.inc({ writer }, n);
}
