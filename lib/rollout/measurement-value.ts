/**
 * A measurement value for display. Argo's web provider stores the JSON encoding of its JSONPath result, so a string
 * verdict arrives as `"promote"` (with quotes); this returns `promote`. Any other text (a number, an object's JSON, a
 * Prometheus vector, a non-JSON body stored as is) is returned unchanged.
 */
export function measurementText(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  try {
    const decoded: unknown = JSON.parse(value);
    return typeof decoded === 'string' ? decoded : value;
  } catch {
    return value;
  }
}
