import 'server-only';
import { controlCenterConfig } from '../config/control-center-config';
import { runtime } from '../runtime/current';
import type { LoginGate } from '../runtime/runtime';
import { sourceAddress, sourceKey } from './source-address';

/** The process's throttle and hashing slots of password sign-in (the runtime's). */
export const loginGate = (): LoginGate => runtime().loginGate;

/** The throttling key of a request's source (see source-address.ts for what is trusted). */
export const loginSource = (headers: Headers): string =>
  sourceKey(sourceAddress(headers, controlCenterConfig().auth.trustedProxies));
