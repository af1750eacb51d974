/**
 * Where to go after signing in: a path on this origin, or `/`. The value is decoded repeatedly (a few rounds) and
 * every decoded form must be a plain absolute path: one leading `/`, then no second `/` or `\`, no control
 * characters or whitespace anywhere (browsers drop tabs and newlines, so `/\t/evil` becomes `//evil`), and no
 * encoded slash or backslash. Anything doubtful gives `/`.
 */
const MAX_ROUNDS = 4;
const MAX_LENGTH = 2048;

function plainPath(s: string): boolean {
  if (!s.startsWith('/')) return false;
  const second = s[1];
  if (second === '/' || second === '\\') return false;
  // Control characters, whitespace and backslashes: a browser may strip or turn them into `/`.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
  if (/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]/.test(s))
    return false;
  return true;
}

/** The return path of `raw` when it is a same-origin path (query and fragment kept), else `/`. */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return '/';
  let current = raw;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (!plainPath(current)) return '/';
    // An encoded slash or backslash in the path part could turn into `//` or `/\` after one more decoding.
    const pathPart = current.split(/[?#]/, 1)[0] ?? '';
    if (/%(2f|5c)/i.test(pathPart)) return '/';
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return '/';
    }
    if (next === current) break;
    if (round === MAX_ROUNDS - 1) return '/';
    current = next;
  }
  // The last word goes to the URL parser browsers use: it must stay on this origin with the same path.
  let parsed: URL;
  try {
    parsed = new URL(raw, 'http://origin.invalid');
  } catch {
    return '/';
  }
  if (parsed.origin !== 'http://origin.invalid') return '/';
  return raw;
}
