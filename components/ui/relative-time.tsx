import { exactTime, relativeTime } from '@/lib/client/format';

/** "4m ago" with the exact UTC time on hover (and as the machine-readable dateTime). */
export function RelativeTime({ iso, now }: { iso: string | null | undefined; now: number }) {
  if (!iso) return <span className="text-zinc-500">—</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)} suppressHydrationWarning>
      {relativeTime(iso, now)}
    </time>
  );
}
