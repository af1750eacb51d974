import type { Metadata } from 'next';
import { LoginForm } from '@/components/auth/login-form';
import { safeReturnPath } from '@/lib/auth/return-path';
import { controlCenterConfig } from '@/server/config/control-center-config';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · Control center' };

/** Sign in with a local user (password) or the configured OIDC provider. Public (PAGE_POLICY). */
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const q = await searchParams;
  const auth = controlCenterConfig().auth;
  // Only a path on this origin comes back from the query (no open redirect).
  const callbackUrl = safeReturnPath(q.callbackUrl);
  return (
    <LoginForm
      password={auth.users.length > 0}
      oidcName={auth.oidc ? auth.oidc.name : null}
      callbackUrl={callbackUrl}
      error={typeof q.error === 'string' ? q.error : null}
    />
  );
}
