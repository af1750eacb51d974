'use client';
import { useEffect, useState } from 'react';

/**
 * The clock, ticking every `intervalMs` (load progress and a timed pause's countdown re-render with it); `null`: it
 * does not tick, and reads the time once when it stops ticking.
 */
export function useNow(intervalMs: number | null = 1000, initial?: number): number {
  const [now, setNow] = useState(() => initial ?? Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (intervalMs === null) return;
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
