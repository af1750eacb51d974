'use client';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { AccessProvider } from '@/components/auth/access-context';
import { ToastProvider } from '@/components/ui/toast';
import type { Access } from '@/lib/auth/roles';
import { makeQueryClient } from '@/lib/client/query-client';

/**
 * Browser-side context for every page: toasts, who is signed in and the one query cache (fetched answers and the
 * live rollout page; one per server render, so nothing is shared between requests). The overview's streams are
 * read with useSyncExternalStore (lib/client/use-overview.ts).
 */
export function Providers({ access, children }: { access: Access | null; children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      <AccessProvider access={access}>
        <ToastProvider>{children}</ToastProvider>
      </AccessProvider>
    </QueryClientProvider>
  );
}
