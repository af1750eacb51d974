'use client';
import Link from 'next/link';
import { useState } from 'react';
import { describeScopes } from '@/lib/auth/roles';
import { signOut } from '@/lib/client/sign-out';
import { useAccess } from '../auth/access-context';

/** The signed-in user and role (or "no role"), with Sign out; Sign in when nobody is. */
export function UserMenu() {
  const who = useAccess();
  const [leaving, setLeaving] = useState(false);
  if (!who)
    return (
      <Link href="/login" className="text-sm font-medium underline-offset-2 hover:underline">
        Sign in
      </Link>
    );
  return (
    <div className="flex items-center gap-3 text-sm">
      <span
        data-testid="current-user"
        title={who.role === 'admin' ? 'every namespace on every context' : describeScopes(who.scopes)}
      >
        <span className="font-medium">{who.name}</span>
        <span className="text-zinc-500"> · {who.role ?? 'no role'}</span>
      </span>
      <button
        type="button"
        disabled={leaving}
        onClick={() => {
          setLeaving(true);
          signOut('/login').then(
            (next) => window.location.assign(next),
            () => setLeaving(false),
          );
        }}
        className="rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Sign out
      </button>
    </div>
  );
}
