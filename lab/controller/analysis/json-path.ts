/**
 * The subset of Kubernetes JSONPath that Argo's web provider templates use: `{$}`, `{$.a.b}`, `{$.a[0].b}`,
 * `{$['a-b']}`, `{.a}`. The value at the path, or why there is none in the words of Kubernetes' JSONPath (client-go
 * util/jsonpath), which Argo's web provider puts after "Could not find JSONPath in body: ".
 */
export function jsonPathFind(
  data: unknown,
  path: string | undefined,
): { value: unknown } | { error: string } {
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
      if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, key))
        return { error: `${key} is not found` };
      cur = (cur as Record<string, unknown>)[key];
    } else {
      const i = Number(m[2]);
      if (!Array.isArray(cur)) return { error: `${typeof cur} is not array or slice` };
      if (i >= cur.length) return { error: `array index out of bounds: index ${i}, length ${cur.length}` };
      cur = cur[i];
    }
  }
  if (pos !== p.length) throw new Error(`unsupported jsonPath ${path}`);
  return { value: cur };
}
