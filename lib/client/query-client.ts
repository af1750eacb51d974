import { QueryClient } from '@tanstack/react-query';

/**
 * The browser's one cache (one per server render too): fetched answers and the live rollout page alike. No retries
 * (the queries poll anyway) and no refetch on window focus (the live stream keeps pages current).
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
  });
}
