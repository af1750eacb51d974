import 'server-only';
import { randomBytes } from 'node:crypto';
import { controlCenterConfig } from '../config/control-center-config';
import { env } from '../config/env';

export class AuthConfigError extends Error {}

const KEY = Symbol.for('control-center.auth-secret');
type Holder = { [KEY]?: string };

/**
 * The secret that signs and encrypts session cookies: AUTH_SECRET. Outside the lab (NODE_ENV=production without
 * `auth.lab: true` in CONTROL_CENTER_CONFIG) it is required; in the lab a missing one is replaced by a random
 * per-process secret (sessions end when the server restarts). Kept on globalThis: every bundle sees the same one.
 */
export function authSecret(): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  const lab = controlCenterConfig().auth.lab;
  if (env().NODE_ENV === 'production' && !lab)
    throw new AuthConfigError(
      'AUTH_SECRET: required outside the lab (at least 32 characters, e.g. `openssl rand -hex 32`); a lab install sets auth.lab: true in CONTROL_CENTER_CONFIG',
    );
  const g = globalThis as Holder;
  g[KEY] ??= randomBytes(32).toString('hex');
  return g[KEY];
}
