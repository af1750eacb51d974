import 'server-only';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const optionalUrl = (name: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: `${name} must be an http(s) URL`,
  });

function isPostgresUrl(v: string): boolean {
  if (!/^postgres(ql)?:\/\/[^\s]+$/.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** Query parameters node-postgres reads a secret from (pg-connection-string); file paths such as sslkey are kept. */
const SECRET_PARAMS = new Set(['password', 'sslpassword']);

/** A database URL safe to print: the userinfo password and every `password`/`sslpassword` parameter replaced by `***`. */
export function redactDatabaseUrl(v: string): string {
  try {
    const u = new URL(v);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()])
      if (SECRET_PARAMS.has(key.toLowerCase())) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '(unparsable database URL)';
  }
}

/** Every environment variable the control center reads, validated once (DESIGN.md §3). */
export const envSchema = z.object({
  KUBECONFIG: optionalString,
  PROMETHEUS_URL: optionalUrl('PROMETHEUS_URL'),
  /** The lab's metrics window endpoint, used when no Prometheus is configured. */
  METRICS_WINDOW_URL: optionalUrl('METRICS_WINDOW_URL'),
  JUDGE_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'JUDGE_TOKEN must be at least 16 characters',
  }),
  /** Bearer token of `GET /api/metrics` (Prometheus' scrape); unset = the endpoint answers 503. */
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'METRICS_TOKEN must be at least 16 characters',
  }),
  /** Signs and encrypts session cookies; required outside the lab (`auth.lab: true`). */
  AUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'AUTH_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)',
  }),
  /** The control center's public URL (origin) when it runs behind a proxy; default: the request's own origin. */
  AUTH_URL: optionalUrl('AUTH_URL'),
  /** The OIDC client secret, when not in CONTROL_CENTER_CONFIG. */
  OIDC_CLIENT_SECRET: optionalString,
  NODE_ENV: optionalString,
  CONTROL_CENTER_CONFIG: optionalString,
  /** Where the audit and timeline database lives (default `.data/` in the working directory). */
  CONTROL_CENTER_DATA_DIR: optionalString,
  /**
   * The shared PostgreSQL store (`postgres://user:password@host:5432/db`); unset = SQLite under
   * CONTROL_CENTER_DATA_DIR (one replica only). Never logged: it carries the password (`redactDatabaseUrl`).
   */
  DATABASE_URL: optionalString.refine((v) => v === undefined || isPostgresUrl(v), {
    message:
      'DATABASE_URL must be a postgres:// or postgresql:// URL (e.g. postgres://user:password@host:5432/db)',
  }),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

/** Parses the environment; a bad value throws an EnvError whose message names the variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const res = envSchema.safeParse(raw);
  if (res.success) return res.data;
  const msg = res.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ');
  throw new EnvError(`invalid environment: ${msg}`);
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
