import { z } from 'zod';

/** Upper bound for added latency, to keep a typo from hanging requests forever. */
export const MAX_FAULT_LATENCY_MS = 60_000;

/** Key in the faults file whose entry applies to every version. */
export const WILDCARD_KEY = '*';

export const FlagsSchema = z.record(z.string().min(1), z.boolean());

/** Faults and flags for one version; every field is optional, unknown fields are ignored. */
export const FaultSpecSchema = z.object({
  errorRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().min(0).max(MAX_FAULT_LATENCY_MS).optional(),
  latencyJitterMs: z.number().min(0).max(MAX_FAULT_LATENCY_MS).optional(),
  flags: FlagsSchema.optional(),
});

/** The whole file: JSON keyed by version (e.g. "v1.1") or "*" for all versions. */
export const FaultsFileSchema = z.record(z.string().min(1), FaultSpecSchema);

export type FaultSpec = z.infer<typeof FaultSpecSchema>;
export type FaultsFile = z.infer<typeof FaultsFileSchema>;
export type Flags = z.infer<typeof FlagsSchema>;

/** What a running version actually applies. */
export type EffectiveFaults = {
  errorRate: number;
  latencyMs: number;
  latencyJitterMs: number;
  flags: Flags;
};

export type ParseResult = { ok: true; config: FaultsFile } | { ok: false; reason: string };

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : JSON.stringify(String(part))))
    .join('.');
}

/** Parses the text of a faults file; never throws. The reason names the offending field. */
export function parseFaultsText(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  const result = FaultsFileSchema.safeParse(json);
  if (result.success) return { ok: true, config: result.data };
  const reason = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
  return { ok: false, reason };
}

/** Env defaults, then the "*" entry, then the version's own entry (field by field; flags merged by name). */
export function resolveFaults(
  config: FaultsFile | undefined,
  version: string,
  defaults: EffectiveFaults,
): EffectiveFaults {
  const layers = [config?.[WILDCARD_KEY], config?.[version]];
  let effective: EffectiveFaults = { ...defaults, flags: { ...defaults.flags } };
  for (const layer of layers) {
    if (!layer) continue;
    effective = {
      errorRate: layer.errorRate ?? effective.errorRate,
      latencyMs: layer.latencyMs ?? effective.latencyMs,
      latencyJitterMs: layer.latencyJitterMs ?? effective.latencyJitterMs,
      flags: { ...effective.flags, ...layer.flags },
    };
  }
  return effective;
}

/** Delay for one request: latencyMs plus uniform jitter in [-jitter, +jitter], never negative. */
export function pickDelayMs(faults: EffectiveFaults, random: () => number = Math.random): number {
  const jitter = faults.latencyJitterMs > 0 ? (random() * 2 - 1) * faults.latencyJitterMs : 0;
  return Math.max(0, faults.latencyMs + jitter);
}

/** True when this request should fail with a 500. */
export function shouldFail(faults: EffectiveFaults, random: () => number = Math.random): boolean {
  return faults.errorRate > 0 && random() < faults.errorRate;
}
