import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';

/** A rollout that does not exist (or a malformed name in the address). */
export default function RolloutNotFound() {
  return (
    <EmptyState title="Rollout not found">
      <p>
        No rollout by that name exists in the namespaces the control center can see. Check the name, or go
        back to the{' '}
        <Link className="underline" href="/">
          rollouts overview
        </Link>
        .
      </p>
    </EmptyState>
  );
}
