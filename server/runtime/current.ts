import 'server-only';
import { buildRuntime, type Runtime } from './runtime';

/**
 * THE ONE HOLDER. Next.js loads server modules once per bundle (each route, the instrumentation hook), so module
 * state would be per bundle; the runtime is kept on globalThis under one key and every bundle reaches the same one.
 * Nothing else of the server keeps state there.
 */
const KEY = Symbol.for('control-center.runtime');
type Holder = { [KEY]?: Runtime };

/** The process's runtime, built from the configuration on first use. */
export function runtime(): Runtime {
  const g = globalThis as Holder;
  g[KEY] ??= buildRuntime();
  return g[KEY];
}

/**
 * Replaces the process's runtime (tests build one over a lab); undefined: the next `runtime()` builds it from the
 * configuration. Returns the one it replaced, which the caller stops when it is done with it.
 */
export function setRuntime(rt: Runtime | undefined): Runtime | undefined {
  const g = globalThis as Holder;
  const previous = g[KEY];
  g[KEY] = rt;
  return previous;
}
