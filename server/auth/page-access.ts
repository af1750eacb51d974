import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { type PAGE_POLICY, PAGE_POLICY as POLICY } from '@/lib/auth/policy';
import { safeReturnPath } from '@/lib/auth/return-path';
import { canAudit, canRead } from '@/lib/auth/roles';
import type { Principal } from './principal';
import { principalFromCookies } from './session';

/** The signed-in user of the page being rendered, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ');
  return principalFromCookies(header || null);
}

export interface PageAccess {
  who: Principal;
  /** Why the page is refused to this user (the page shows it), or null. */
  denied: string | null;
}

/**
 * The page guard: every page calls it with its own pattern (the policy test checks). Anonymous users go to /login
 * (back to `returnTo` afterwards); a user whose role may not see the page gets `denied` with the reason.
 */
export async function pageAccess(pattern: keyof typeof PAGE_POLICY, returnTo?: string): Promise<PageAccess> {
  const permission = POLICY[pattern];
  const who = await currentPrincipal();
  const back = safeReturnPath(returnTo);
  if (!who) redirect(`/login${back !== '/' ? `?callbackUrl=${encodeURIComponent(back)}` : ''}`);
  const decision =
    permission === 'audit' ? canAudit(who) : permission === 'public' ? { ok: true } : canRead(who);
  return { who, denied: decision.ok ? null : (decision as { reason: string }).reason };
}
