import 'server-only';
import { controlCenterConfig } from '../config/control-center-config';
import { env } from '../config/env';
import { runtime } from '../runtime/current';

export class AuthConfigError extends Error {}

/**
 * The secret that signs and encrypts session cookies: AUTH_SECRET. Outside the lab (NODE_ENV=production without
 * `auth.lab: true` in CONTROL_CENTER_CONFIG) it is required; in the lab a missing one is replaced by a random
 * per-process secret held by the runtime (sessions end when the server restarts).
 */
export function authSecret(): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  const lab = controlCenterConfig().auth.lab;
  if (env().NODE_ENV === 'production' && !lab)
    throw new AuthConfigError(
      'AUTH_SECRET: required outside the lab (at least 32 characters, e.g. `openssl rand -hex 32`); a lab install sets auth.lab: true in CONTROL_CENTER_CONFIG',
    );
  return runtime().labSecret;
}
