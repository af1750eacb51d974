import 'server-only';
import { z } from 'zod';

const sampleValue = z.tuple([z.number(), z.string()]);
const vector = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })),
  }),
});
const matrix = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) })),
  }),
});

export type Sample = { metric: Record<string, string>; value: number };
export type Series = { metric: Record<string, string>; points: Array<{ t: number; v: number }> };

async function post(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  timeoutMs: number,
): Promise<unknown> {
  const res = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    body: new URLSearchParams(params),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${(params.query ?? '').slice(0, 80)}`);
  return res.json();
}

/** `/api/v1/query` at `time` (unix seconds): a vector. */
export async function instantQuery(
  baseUrl: string,
  query: string,
  time: number,
  timeoutMs: number,
): Promise<Sample[]> {
  const parsed = vector.safeParse(
    await post(baseUrl, '/api/v1/query', { query, time: String(time) }, timeoutMs),
  );
  if (!parsed.success) throw new Error('unexpected response shape from /api/v1/query');
  return parsed.data.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** `/api/v1/query_range`: a matrix. */
export async function rangeQuery(
  baseUrl: string,
  query: string,
  start: number,
  end: number,
  step: number,
  timeoutMs: number,
): Promise<Series[]> {
  const params = { query, start: String(start), end: String(end), step: String(step) };
  const parsed = matrix.safeParse(await post(baseUrl, '/api/v1/query_range', params, timeoutMs));
  if (!parsed.success) throw new Error('unexpected response shape from /api/v1/query_range');
  return parsed.data.data.result.map((r) => ({
    metric: r.metric,
    points: r.values.map(([t, v]) => ({ t, v: Number(v) })),
  }));
}

export function leOf(metric: Record<string, string>): number {
  return metric.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(metric.le);
}
