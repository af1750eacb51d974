/**
 * Go's json.Marshal of a value json.Unmarshal decoded into `any` (nil, bool, float64, string, []any, map[string]any),
 * which is how Argo's web provider stores a measurement value (metricproviders/webmetric/webmetric.go getValue): a
 * string keeps its quotes, object keys are sorted by their UTF-8 bytes, `<`, `>`, `&`, U+2028 and U+2029 are written
 * \u003c, \u003e, \u0026, \u2028, \u2029, and -0 stays `-0`. Other numbers and escapes read as JSON.stringify's do.
 */
export function goJsonMarshal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return goString(value);
  if (Array.isArray(value)) return `[${value.map(goJsonMarshal).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${goString(k)}:${goJsonMarshal(obj[k])}`).join(',')}}`;
}

const goString = (s: string): string =>
  JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
