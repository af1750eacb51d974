/** Escapes a PromQL label value for use inside double quotes (backslash, quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes a literal for use inside a `=~` regular expression (RE2), then as a label value. */
export function escapeRegexValue(value: string): string {
  return escapeLabelValue(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

export type Matcher = string | { op: '=' | '!=' | '=~' | '!~'; value: string };

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `{a="x",b!~"5.*"}` from a record; label names are checked, values escaped (regex values are taken as written). */
export function selector(matchers: Record<string, Matcher>): string {
  const parts = Object.entries(matchers).map(([name, m]) => {
    if (!LABEL_NAME.test(name)) throw new Error(`invalid PromQL label name: ${JSON.stringify(name)}`);
    if (typeof m === 'string') return `${name}="${escapeLabelValue(m)}"`;
    return `${name}${m.op}"${escapeLabelValue(m.value)}"`;
  });
  return `{${parts.join(',')}}`;
}

/** A PromQL range duration in whole seconds, at least 1 s: `[300s]`. */
export function rangeSeconds(seconds: number): string {
  return `[${Math.max(1, Math.round(seconds))}s]`;
}
