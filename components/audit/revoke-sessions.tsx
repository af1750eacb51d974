'use client';
import { type FormEvent, useState } from 'react';
import { CSRF_HEADER, CSRF_VALUE } from '@/lib/auth/policy';

const field =
  'mt-1 block w-40 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';

/** "Revoke sessions…": ends every live session of a user (POST /api/v1/sessions/revoke), after a confirmation. */
export function RevokeSessions() {
  const [username, setUsername] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const user = username.trim();
    if (!user || !window.confirm(`Sign ${user} out everywhere now?`)) return;
    setBusy(true);
    try {
      const res = await fetch('/api/v1/sessions/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: CSRF_VALUE },
        body: JSON.stringify({ username: user }),
      });
      const body = (await res.json().catch(() => null)) as {
        revoked?: number;
        error?: { message?: string };
      } | null;
      setMessage(
        res.ok
          ? `${body?.revoked ?? 0} session(s) of ${user} revoked.`
          : (body?.error?.message ?? `the control center answered HTTP ${res.status}`),
      );
    } catch (err) {
      setMessage(`the control center is unreachable: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-label="Revoke sessions"
      className="flex flex-wrap items-end gap-3"
    >
      <label className="text-sm">
        Username
        <input
          name="revoke-username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          className={field}
        />
      </label>
      <button
        type="submit"
        disabled={busy || !username.trim()}
        className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900"
      >
        Revoke sessions…
      </button>
      {message ? (
        <p role="status" className="text-sm">
          {message}
        </p>
      ) : null}
    </form>
  );
}
