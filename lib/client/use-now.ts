'use client';
import { useEffect, useState } from 'react';

/** The clock, ticking every `intervalMs` (relative times and load progress re-render with it). */
export function useNow(intervalMs = 1000, initial?: number): number {
  const [now, setNow] = useState(() => initial ?? Date.now());
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
