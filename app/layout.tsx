import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/shell/app-header';
import type { Access } from '@/lib/auth/roles';
import { NONCE_HEADER, nonceKey, openNonce } from '@/lib/security-headers';
import { currentPrincipal } from '@/server/auth/page-access';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Control center',
  description: 'Canary releases on Kubernetes with Argo Rollouts, Istio and Prometheus',
};

/** Sets the theme class before the first paint (saved choice, else the system preference): no flash. */
const THEME_SCRIPT = `try{var t=localStorage.getItem('theme');if(t==='dark'||(!t&&matchMedia('(prefers-color-scheme: dark)').matches))document.documentElement.classList.add('dark')}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The per-request CSP nonce of proxy.ts, only with its seal: a nonce a client sent is never used (reading the
  // headers also keeps every page dynamic, as nonces require).
  const nonce = openNonce((await headers()).get(NONCE_HEADER), nonceKey());
  const who = await currentPrincipal();
  // Only what the browser needs to grey out buttons and show the header: never a token or a hash.
  const access: Access | null = who
    ? { name: who.name, role: who.role, scopes: who.scopes, defaultContext: who.defaultContext }
    : null;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* The browser hides a nonce from the DOM after checking it: no hydration warning for that. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-900 dark:text-zinc-100">
        <Providers access={access}>
          <AppHeader access={access} />
          <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
