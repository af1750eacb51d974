import { z } from 'zod';

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d+$/, `must be an integer between ${min} and ${max}`)
      .transform(Number)
      .pipe(z.number().int().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`))
      .default(fallback),
  );

const decimal = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/, `must be a number between ${min} and ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`))
      .default(fallback),
  );

export const MAX_LATENCY_MS = 60_000;
export const MAX_SHUTDOWN_TIMEOUT_MS = 10_000;

export const EnvSchema = z
  .object({
    VERSION: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .max(64, 'must be at most 64 characters')
        .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'must look like a version, e.g. v1.0')
        .default('v1.0'),
    ),
    PORT: integer(0, 65535, 8080),
    HOST: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('0.0.0.0')),
    WARMUP_MS: integer(0, 600_000, 1000),
    FAULT_ERROR_RATE: decimal(0, 1, 0),
    FAULT_LATENCY_MS: integer(0, MAX_LATENCY_MS, 0),
    FAULT_LATENCY_JITTER_MS: integer(0, MAX_LATENCY_MS, 0),
    FAULTS_FILE: z.preprocess(emptyToUndefined, z.string().trim().optional()),
    FAULTS_POLL_MS: integer(50, 2000, 500),
    SHUTDOWN_DELAY_MS: integer(0, MAX_SHUTDOWN_TIMEOUT_MS, 0),
    SHUTDOWN_TIMEOUT_MS: integer(100, MAX_SHUTDOWN_TIMEOUT_MS, MAX_SHUTDOWN_TIMEOUT_MS),
  })
  .refine((env) => env.SHUTDOWN_DELAY_MS < env.SHUTDOWN_TIMEOUT_MS, {
    path: ['SHUTDOWN_DELAY_MS'],
    message: 'must be less than SHUTDOWN_TIMEOUT_MS',
  });

export type EnvConfig = z.infer<typeof EnvSchema>;

export type EnvIssue = { variable: string; message: string };

export type EnvResult = { ok: true; config: EnvConfig } | { ok: false; issues: EnvIssue[] };

/** Parses the process environment; never throws. */
export function parseEnv(env: NodeJS.ProcessEnv): EnvResult {
  const result = EnvSchema.safeParse(env);
  if (result.success) return { ok: true, config: result.data };
  const issues = result.error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? 'environment'),
    message: issue.message,
  }));
  return { ok: false, issues };
}

export function describeEnvIssues(issues: EnvIssue[]): string {
  return issues.map((issue) => `${issue.variable}: ${issue.message}`).join('; ');
}
