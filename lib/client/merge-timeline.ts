import type { TimelineEntry } from '@/lib/rollout/timeline';

const time = (e: TimelineEntry) => Date.parse(e.at) || 0;

/**
 * The stored timeline with the entries the page's stream derived since it was read: newest first, each key once (the
 * stored entry wins: it is the one every reader sees), at most `limit`. A streamed entry is not stored yet, so it will
 * be written after every stored one: among equal times it goes on top, as the store orders later writes. `recent` may
 * be missing (a page from a server of an older version). Nothing new: `stored` itself, so no line renders again.
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
  if (extra.length === 0) return stored;
  extra.sort((a, b) => time(b) - time(a));
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
