'use client';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';

/** Something failed while rendering the rollout page: say so, offer a retry, never show a stack trace. */
export default function RolloutError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <EmptyState title="This rollout could not be shown">
      <p>
        The control center failed to render this page{error.digest ? ` (reference ${error.digest})` : ''}. The
        server log has the details.
      </p>
      <p className="flex gap-3">
        <button type="button" onClick={reset} className="underline">
          Try again
        </button>
        <Link className="underline" href="/">
          Back to the rollouts overview
        </Link>
      </p>
    </EmptyState>
  );
}
