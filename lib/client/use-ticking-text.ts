'use client';
import { type RefObject, useEffect, useRef } from 'react';
import { type Clock, pageClock } from './clock';

/**
 * `text(now)` on the page's clock, written straight into the element's text node on each tick, and only when it
 * changed ("4m ago" stays for a minute): a tick renders no component, so a list of a hundred times costs the clock a
 * loop over strings and the DOM only the texts that moved. React renders the text when the component renders (its
 * own text node, which the tick then updates in place). `text` must keep its identity while its inputs do.
 */
export function useTickingText<E extends HTMLElement>(
  text: (now: number) => string,
  clock: Clock = pageClock,
): { ref: RefObject<E | null>; text: string } {
  const ref = useRef<E>(null);
  useEffect(() => {
    const write = () => {
      const node = ref.current?.firstChild;
      const next = text(clock.now());
      if (node && node.nodeType === Node.TEXT_NODE && node.nodeValue !== next) node.nodeValue = next;
    };
    write();
    return clock.subscribe(write);
  }, [text, clock]);
  return { ref, text: text(clock.now()) };
}
