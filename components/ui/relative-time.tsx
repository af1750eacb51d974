'use client';
import { useCallback } from 'react';
import { exactTime, relativeTime } from '@/lib/client/format';
import { useTickingText } from '@/lib/client/use-ticking-text';

/** "4m ago" on the page's clock: each tick writes the text in place when it changed; the component never renders for it. */
function Ticking({ iso }: { iso: string }) {
  const { ref, text } = useTickingText<HTMLTimeElement>(
    // Every time ticking here is of something that happened: a clock of the cluster ahead of the browser's reads
    // "just now", never "in 7s".
    useCallback((now: number) => relativeTime(iso, Math.max(now, Date.parse(iso) || now)), [iso]),
  );
  return (
    <time ref={ref} dateTime={iso} title={exactTime(iso)} suppressHydrationWarning>
      {text}
    </time>
  );
}

/**
 * "4m ago" with the exact UTC time on hover (and as the machine-readable dateTime). Given `now`, as of that time (the
 * caller's clock renders it again); without, on the page's own clock, so a list of them costs a tick only where a
 * text changes, and no render.
 */
export function RelativeTime({ iso, now }: { iso: string | null | undefined; now?: number }) {
  if (!iso) return <span className="text-zinc-500">—</span>;
  if (now === undefined) return <Ticking iso={iso} />;
  return (
    <time dateTime={iso} title={exactTime(iso)} suppressHydrationWarning>
      {relativeTime(iso, now)}
    </time>
  );
}
