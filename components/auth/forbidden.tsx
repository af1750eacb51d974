import { EmptyState } from '../ui/empty-state';

/** What a signed-in user sees on a page their role may not open. */
export function Forbidden({ reason }: { reason: string }) {
  return (
    <EmptyState title="Not allowed">
      <p>{reason}.</p>
      <p>Roles come from CONTROL_CENTER_CONFIG (users and OIDC groups); an admin can change yours.</p>
    </EmptyState>
  );
}
