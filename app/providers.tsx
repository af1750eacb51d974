'use client';
import type { ReactNode } from 'react';
import { AccessProvider } from '@/components/auth/access-context';
import { ToastProvider } from '@/components/ui/toast';
import type { Access } from '@/lib/auth/roles';

/**
 * Browser-side context for every page: toasts and who is signed in. Live data needs no provider: each page's stream
 * store and the query cache (lib/client/) are read with useSyncExternalStore.
 */
export function Providers({ access, children }: { access: Access | null; children: ReactNode }) {
  return (
    <AccessProvider access={access}>
      <ToastProvider>{children}</ToastProvider>
    </AccessProvider>
  );
}
