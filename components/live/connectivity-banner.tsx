import type { LiveState } from '@/lib/client/live-state';

/** A banner when the control center cannot reach Kubernetes (from the stream's status) or the stream is down. */
export function ConnectivityBanner({
  live,
  initialError,
}: {
  live: Pick<LiveState, 'connection' | 'kube'>;
  initialError?: string | null;
}) {
  let text: string | null = null;
  if (live.kube && !live.kube.connected)
    text = `Kubernetes API unreachable${live.kube.lastError ? `: ${live.kube.lastError}` : ''}. Showing the last known state.`;
  else if (!live.kube && initialError) text = initialError;
  else if (live.connection === 'offline')
    text = 'Lost the live connection to the control center; reconnecting. What you see may be out of date.';
  if (!text) return null;
  return (
    <div
      role="alert"
      className="mb-4 rounded-md border border-degraded/40 bg-degraded/10 px-4 py-2 text-sm text-red-800 dark:text-red-300"
    >
      {text}
    </div>
  );
}
