/** Istio HTTPRoute matching (the subset the lab serves): uri, headers, method, authority, queryParams. */

export type StringMatch = { exact?: string; prefix?: string; regex?: string };

export interface HttpMatchRequest {
  name?: string;
  uri?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  ignoreUriCase?: boolean;
}

export interface RequestFacts {
  host: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

const regexCache = new Map<string, RegExp>();

function regex(re: string, flags = ''): RegExp {
  const key = `${flags}/${re}`;
  let r = regexCache.get(key);
  if (!r) {
    r = new RegExp(`^(?:${re})$`, flags); // Istio/RE2 regexes match the whole value
    regexCache.set(key, r);
  }
  return r;
}

export function matchString(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (m.exact !== undefined) return v === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if (m.prefix !== undefined) return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  if (m.regex !== undefined) return regex(m.regex, ignoreCase ? 'i' : '').test(value);
  return true; // an empty match object matches any present value
}

function header(facts: RequestFacts, name: string): string | undefined {
  const v = facts.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

export function matchRequest(m: HttpMatchRequest, facts: RequestFacts): boolean {
  if (m.uri && !matchString(m.uri, facts.path, m.ignoreUriCase)) return false;
  if (m.method && !matchString(m.method, facts.method)) return false;
  if (m.authority && !matchString(m.authority, facts.host)) return false;
  for (const [name, sm] of Object.entries(m.headers ?? {}))
    if (!matchString(sm, header(facts, name))) return false;
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) {
    const v = header(facts, name);
    if (v !== undefined && matchString(sm, v)) return false;
  }
  for (const [name, sm] of Object.entries(m.queryParams ?? {})) {
    if (!matchString(sm, facts.query.get(name) ?? undefined)) return false;
  }
  return true;
}

/** `match` entries are ORed; an absent or empty list matches everything. */
export function matchAny(matches: HttpMatchRequest[] | undefined, facts: RequestFacts): boolean {
  if (!matches?.length) return true;
  return matches.some((m) => matchRequest(m, facts));
}

/** A VirtualService/Gateway host against the request host: exact, `*`, or `*.suffix`. 0 = no match; higher = more specific. */
export function hostScore(pattern: string, host: string): number {
  const p = pattern.toLowerCase();
  if (p === host) return 3;
  if (p === '*') return 1;
  if (p.startsWith('*.') && host.endsWith(p.slice(1))) return 2;
  return 0;
}

/** `2s`, `500ms`, `1.5s`, `1m`, `100us` → milliseconds. */
export function parseDurationMs(d: string | undefined): number {
  if (!d) return 0;
  const m = /^(\d+(?:\.\d+)?)(h|m|s|ms|us|µs|ns)$/.exec(d.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2];
  const factor: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 0.001,
    µs: 0.001,
    ns: 1e-6,
  };
  return n * (factor[unit ?? 'ms'] ?? 1);
}
