import 'server-only';
import { invalid } from '@/lib/actions/refusal';
import type { LoadTarget } from '@/lib/schemas/load-targets';
import { controlCenterConfig } from '../config/control-center-config';

/** The default load target when CONTROL_CENTER_CONFIG lists none: the gateway (LOADGEN_TARGET_URL, LOADGEN_HOST). */
export const loadDefaults = (): LoadTarget => ({
  name: 'gateway',
  url: process.env.LOADGEN_TARGET_URL || 'http://127.0.0.1:8081/api/work',
  host: process.env.LOADGEN_HOST || 'webapp.local',
});

/** The configured load targets (the first is the default). */
export function loadTargets(): LoadTarget[] {
  return controlCenterConfig().loadTargets ?? [loadDefaults()];
}

/** Why a load body's `target` is refused (an unknown name: the configured names listed), or null when it is known. */
export function loadTargetRefusal(name: string | undefined, targets = loadTargets()): string | null {
  if (name === undefined || targets.some((t) => t.name === name)) return null;
  return `unknown load target "${name}" (configured: ${targets.map((t) => t.name).join(', ')})`;
}

/** The target a load body names (omitted: the first configured). The request never carries an address. */
export function resolveLoadTarget(name: string | undefined, targets = loadTargets()): LoadTarget {
  const found = name === undefined ? targets[0] : targets.find((t) => t.name === name);
  if (!found) throw invalid(`invalid body: target: ${loadTargetRefusal(name, targets)}`);
  return found;
}
