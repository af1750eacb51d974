import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/shell/app-header';
import './globals.css';

export const metadata: Metadata = {
  title: 'Control center',
  description: 'Canary releases on Kubernetes with Argo Rollouts, Istio and Prometheus',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-900 dark:text-zinc-100">
        <AppHeader />
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
