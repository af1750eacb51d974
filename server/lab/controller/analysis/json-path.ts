/**
 * The subset of Kubernetes JSONPath that Argo's web provider templates use: `{$}`, `{$.a.b}`, `{$.a[0].b}`,
 * `{$['a-b']}`, `{.a}`. Returns undefined when the path does not exist.
 */
export function jsonPathGet(data: unknown, path: string | undefined): unknown {
  let p = (path ?? '{$}').trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  if (p.startsWith('$')) p = p.slice(1);
  let cur: unknown = data;
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/gy;
  let pos = 0;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    pos = re.lastIndex;
    const key = m[1] ?? m[3] ?? m[4];
    if (key !== undefined) {
      if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    } else {
      const i = Number(m[2]);
      if (!Array.isArray(cur) || i >= cur.length) return undefined;
      cur = cur[i];
    }
  }
  if (pos !== p.length) throw new Error(`unsupported jsonPath ${path}`);
  return cur;
}
