'use client';
import { type RefObject, useEffect, useMemo, useState } from 'react';
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
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const read = () =>
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight
          ? v
          : { top: el.scrollTop, height: el.clientHeight },
      );
    el.addEventListener('scroll', read, { passive: true });
    const sized = new ResizeObserver(read);
    sized.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      sized.disconnect();
    };
  }, [box]);
  return useMemo(
    () => rowWindow(count, rowPx, view.top, view.height, overscan),
    [count, rowPx, view, overscan],
  );
}
