'use client';
import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { type RowWindow, rowWindow } from '@/lib/overview/row-window';

/**
 * The rows to render of a scroll box of `count` rows of `rowPx` each (`rowWindow`), following the box's scroll and
 * size. Until the browser has laid the box out, it is taken as `initialHeight` tall (the server's render and the
 * first in the browser agree on it). Nothing is measured on render: the size comes from a ResizeObserver (after
 * layout) and the offset from the scroll events, so a live change of the rows reads no layout.
 */
export function useRowWindow(
  box: RefObject<HTMLElement | null>,
  count: number,
  rowPx: number,
  overscan: number,
  initialHeight: number,
): RowWindow {
  const [view, setView] = useState({ top: 0, height: initialHeight });
  const counted = useRef(count);
  counted.current = count;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // A scroll renders the table only when it brings other rows into the window, not on every scroll event.
    const read = () =>
      setView((v) => {
        const next = { top: el.scrollTop, height: el.clientHeight };
        if (v.top === next.top && v.height === next.height) return v;
        const a = rowWindow(counted.current, rowPx, v.top, v.height, overscan);
        const b = rowWindow(counted.current, rowPx, next.top, next.height, overscan);
        return a.start === b.start && a.end === b.end ? v : next;
      });
    el.addEventListener('scroll', read, { passive: true });
    const sized = new ResizeObserver(read);
    sized.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      sized.disconnect();
    };
  }, [box, rowPx, overscan]);
  return useMemo(
    () => rowWindow(count, rowPx, view.top, view.height, overscan),
    [count, rowPx, view, overscan],
  );
}
