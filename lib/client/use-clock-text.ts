'use client';
import { useCallback, useSyncExternalStore } from 'react';
import { type Clock, pageClock } from './clock';

/**
 * `text(now)` on the page's clock: the component renders again only when the text changes (React compares the
 * strings), however often the clock ticks.
 */
export function useClockText(text: (now: number) => string, clock: Clock = pageClock): string {
  const read = useCallback(() => text(clock.now()), [text, clock]);
  return useSyncExternalStore(clock.subscribe, read, read);
}
