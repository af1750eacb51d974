import type { LiveState } from '@/lib/client/live-state';

/**
 * Green dot "live" while the stream is connected and synced; grey "offline"/"connecting" otherwise. Static on
 * purpose: an endless CSS animation repaints every frame, and 50 open pages would spend the machine on it.
 */
export function LiveIndicator({ live }: { live: Pick<LiveState, 'connection' | 'synced'> }) {
  const on = live.connection === 'live' && live.synced;
  const label = on ? 'live' : live.connection === 'offline' ? 'offline' : 'connecting';
  return (
    <span
      data-testid="live-indicator"
      data-state={label}
      title={on ? 'Updates arrive as they happen' : 'Not receiving updates; reconnecting'}
      className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400"
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${on ? 'bg-healthy' : 'bg-unknown'}`} />
      {label}
    </span>
  );
}
