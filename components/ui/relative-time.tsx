'use client';
import { useCallback } from 'react';
import { exactTime, relativeTime } from '@/lib/client/format';
import { useClockText } from '@/lib/client/use-clock-text';

/** "4m ago" on the page's clock: renders again only when its text changes (not with every tick of the clock). */
function Ticking({ iso }: { iso: string }) {
  return useClockText(useCallback((now: number) => relativeTime(iso, now), [iso]));
}

/**
 * "4m ago" with the exact UTC time on hover (and as the machine-readable dateTime). Given `now`, as of that time (the
 * caller's clock renders it again); without, on the page's own clock, so a list of them costs a tick only where a
 * text changes.
 */
export function RelativeTime({ iso, now }: { iso: string | null | undefined; now?: number }) {
  if (!iso) return <span className="text-zinc-500">—</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)} suppressHydrationWarning>
      {now === undefined ? <Ticking iso={iso} /> : relativeTime(iso, now)}
    </time>
  );
}
