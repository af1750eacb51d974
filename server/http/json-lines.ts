import 'server-only';

/** A download of JSON lines (one item per line), named `<name>-<time>.jsonl`; no cache keeps it. */
export function jsonLinesDownload(items: unknown[], name: string, now = new Date()): Response {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return new Response(items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : ''), {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${name}-${stamp}.jsonl"`,
      'cache-control': 'no-store',
    },
  });
}
