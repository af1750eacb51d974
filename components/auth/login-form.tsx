'use client';
import { signIn } from 'next-auth/react';
import { type FormEvent, useState } from 'react';
import { safeReturnPath } from '@/lib/auth/return-path';
import { Button } from '../ui/button';

const input =
  'mt-1 w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900';

/** The one message for any refused password login: it never says whether the user or the password was wrong. */
export const LOGIN_REFUSED = 'Wrong username or password.';

export function LoginForm({
  password,
  oidcName,
  callbackUrl,
  error,
}: {
  password: boolean;
  oidcName: string | null;
  callbackUrl: string;
  error: string | null;
}) {
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [message, setMessage] = useState<string | null>(
    error ? (error === 'CredentialsSignin' ? LOGIN_REFUSED : 'Sign-in failed. Try again.') : null,
  );
  const [busy, setBusy] = useState(false);
  const returnTo = safeReturnPath(callbackUrl);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await signIn('credentials', {
      redirect: false,
      username,
      password: secret,
      callbackUrl: returnTo,
    });
    if (res?.ok && !res.error) {
      window.location.assign(returnTo);
      return;
    }
    setBusy(false);
    setSecret('');
    setMessage(
      res?.status === 429
        ? 'Too many sign-in attempts: wait a little, then try again.'
        : res?.status === 503
          ? 'The server is busy signing others in: try again in a moment.'
          : LOGIN_REFUSED,
    );
  };

  return (
    <section className="mx-auto mt-16 max-w-sm rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-950">
      <h1 className="mb-4 text-lg font-semibold">Sign in to the control center</h1>
      {message ? (
        <p role="alert" className="mb-3 rounded-md bg-degraded/10 px-3 py-2 text-sm text-degraded">
          {message}
        </p>
      ) : null}
      {password ? (
        <form onSubmit={(e) => void submit(e)} className="space-y-3">
          <label className="block text-sm">
            Username
            <input
              className={input}
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
          </label>
          <label className="block text-sm">
            Password
            <input
              className={input}
              name="password"
              type="password"
              autoComplete="current-password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              required
            />
          </label>
          <Button type="submit" variant="primary" disabled={busy || !username || !secret}>
            Sign in
          </Button>
        </form>
      ) : null}
      {oidcName ? (
        <div className={password ? 'mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800' : ''}>
          <Button onClick={() => void signIn('oidc', { callbackUrl: returnTo })}>
            Sign in with {oidcName}
          </Button>
        </div>
      ) : null}
      {!password && !oidcName ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No way to sign in is configured: add <code>auth.users</code> or <code>auth.oidc</code> to the file
          named by CONTROL_CENTER_CONFIG (<code>./run.sh local</code> creates a first admin).
        </p>
      ) : null}
    </section>
  );
}
