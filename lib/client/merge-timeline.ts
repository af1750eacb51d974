import type { TimelineEntry } from '@/lib/rollout/timeline';

const time = (e: TimelineEntry) => Date.parse(e.at) || 0;

/**
 * The stored timeline with the entries the page's stream derived since it was read: newest first, each key once (the
 * stored entry wins: it is the one every reader sees), at most `limit`; `recent` may be missing (a page from a server of
 * an older version). A streamed entry is not stored yet, so it is
 * written after every stored one: among equal times it goes on top, as the store orders later writes. Nothing new:
 * `stored` itself, so the panel's lines do not render again.
 */
export function mergeTimeline(
  stored: TimelineEntry[],
  recent: readonly TimelineEntry[] | undefined,
  limit: number,
): TimelineEntry[] {
  if (!recent?.length) return stored;
  const keys = new Set(stored.map((e) => e.key));
  const extra: TimelineEntry[] = [];
  for (const e of recent) {
    if (keys.has(e.key)) continue;
    keys.add(e.key);
    extra.push(e);
  }
  extra.sort((a, b) => time(b) - time(a));
  if (extra.length === 0) return stored;
  const out: TimelineEntry[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < extra.length || j < stored.length)) {
    const a = extra[i];
    const b = stored[j];
    if (a && (!b || time(a) >= time(b))) {
      out.push(a);
      i++;
    } else if (b) {
      out.push(b);
      j++;
    }
  }
  return out;
}
