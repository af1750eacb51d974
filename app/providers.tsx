'use client';
import { notifyManager, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { AccessProvider } from '@/components/auth/access-context';
import { ToastProvider } from '@/components/ui/toast';
import type { Access } from '@/lib/auth/roles';
import { inPageFrame } from '@/lib/client/page-frame';
import { makeQueryClient } from '@/lib/client/query-client';

// In the browser the cache tells its panels in the page's frame of changes: answers that come within it, the live
// messages and the clock's tick render once together (lib/client/page-frame.ts).
if (typeof window !== 'undefined') notifyManager.setScheduler(inPageFrame);

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
