import { within as bounded } from '@/lib/within';

/** Waits for the store's `work` at most `ms`; past that, an error naming `what` and the store (the work goes on). */
export const within = <T>(work: Promise<T>, ms: number, what: string): Promise<T> =>
  bounded(work, ms, (bound) => `${what}: no answer from the store within ${bound} ms`);
