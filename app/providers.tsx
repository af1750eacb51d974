'use client';
import type { ReactNode } from 'react';
import { ToastProvider } from '@/components/ui/toast';

/**
 * Browser-side context for every page: toasts. Live data needs no provider: each page's stream store and the query
 * cache (lib/client/) are read with useSyncExternalStore. With @tanstack/react-query, its QueryClientProvider goes here.
 */
export function Providers({ children }: { children: ReactNode }) {
  return <ToastProvider>{children}</ToastProvider>;
}
