import type { Metadata } from 'next';
import { LoginForm } from '@/components/auth/login-form';
import { controlCenterConfig } from '@/server/config/control-center-config';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · Control center' };

/** Only a local path comes back from the query (no open redirect). */
const safeReturn = (v: unknown): string =>
  typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') ? v : '/';

/** Sign in with a local user (password) or the configured OIDC provider. Public (PAGE_POLICY). */
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const q = await searchParams;
  const auth = controlCenterConfig().auth;
  let callbackUrl = '/';
  const raw = typeof q.callbackUrl === 'string' ? q.callbackUrl : undefined;
  if (raw) {
    try {
      const u = new URL(raw, 'http://local');
      callbackUrl = safeReturn(u.origin === 'http://local' ? `${u.pathname}${u.search}` : raw);
    } catch {
      callbackUrl = '/';
    }
  }
  return (
    <LoginForm
      password={auth.users.length > 0}
      oidcName={auth.oidc ? auth.oidc.name : null}
      callbackUrl={callbackUrl}
      error={typeof q.error === 'string' ? q.error : null}
    />
  );
}
