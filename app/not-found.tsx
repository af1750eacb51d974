import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';

export default function NotFound() {
  return (
    <EmptyState title="Page not found">
      <p>
        Nothing lives at this address. Go back to the{' '}
        <Link className="underline" href="/">
          rollouts overview
        </Link>
        .
      </p>
    </EmptyState>
  );
}
