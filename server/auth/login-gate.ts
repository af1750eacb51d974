import 'server-only';
import { controlCenterConfig } from '../config/control-center-config';
import { HashSlots } from './hash-slots';
import { LoginThrottle } from './login-throttle';
import { sourceAddress, sourceKey } from './source-address';

const KEY = Symbol.for('control-center.login-gate');
type Gate = { throttle: LoginThrottle; slots: HashSlots };

/** The process-wide throttle and hashing slots of password sign-in. */
export function loginGate(): Gate {
  const g = globalThis as { [KEY]?: Gate };
  g[KEY] ??= { throttle: new LoginThrottle(), slots: new HashSlots(4, 16) };
  return g[KEY];
}

/** Replaces the process-wide gate (tests: limits and a clock of their own). */
export function setLoginGate(gate: Gate | undefined): void {
  (globalThis as { [KEY]?: Gate })[KEY] = gate;
}

/** The throttling key of a request's source (see source-address.ts for what is trusted). */
export const loginSource = (headers: Headers): string =>
  sourceKey(sourceAddress(headers, controlCenterConfig().auth.trustedProxies));
