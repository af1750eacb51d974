import type { CanaryKind, Ctx, Injected, Trigger } from '../canary';
import type { Expected } from '../classify';

export interface Scenario {
  name: string;
  kind: CanaryKind;
  expected: Expected;
  /** One line: what the fault is. */
  fault: string;
  /** A prerequisite that has not landed yet ("needs …"), or null when the scenario can run. */
  missing?: () => string | null;
  /** The control center's data folder on a small disk (the disk-full scenario). */
  smallDisk?: boolean;
  inject?: (ctx: Ctx) => Promise<Injected>;
  trigger?: Trigger;
  /** The longest a canary of this scenario may take before it counts as stuck. */
  timeoutMs?: { full: number; quick: number };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
