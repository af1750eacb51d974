import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowWindow } from './row-window';

describe('rowWindow', () => {
  it('renders the rows in view and the overscan around them; spacers stand for the rest', () => {
    // 1,000 rows of 41 px in a 720 px box: 18 rows in view at the top, 8 more below.
    expect(rowWindow(1000, 41, 0, 720, 8)).toEqual({ start: 0, end: 26, above: 0, below: 974 * 41 });
    // Scrolled to row 500 (20,500 px): rows 500..517 in view, 8 more each side.
    expect(rowWindow(1000, 41, 20_500, 720, 8)).toEqual({
      start: 492,
      end: 526,
      above: 492 * 41,
      below: 474 * 41,
    });
    // At the very end (and scrolled past it, as a shrinking list can be for a moment).
    expect(rowWindow(1000, 41, 41_000 - 720, 720, 8)).toMatchObject({ end: 1000, below: 0 });
    expect(rowWindow(3, 41, 10_000, 720, 8)).toEqual({ start: 0, end: 3, above: 0, below: 0 });
    expect(rowWindow(0, 41, 0, 720, 8)).toEqual({ start: 0, end: 0, above: 0, below: 0 });
  });

  it('always covers the box, and rows plus spacers always add up to the whole list', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 20 }),
        (count, rowPx, at, viewPx, overscan) => {
          const total = count * rowPx;
          const scrollTop = at * Math.max(0, total - viewPx);
          const w = rowWindow(count, rowPx, scrollTop, viewPx, overscan);
          expect(w.above + (w.end - w.start) * rowPx + w.below).toBe(total);
          expect(0 <= w.start && w.start < w.end && w.end <= count).toBe(true);
          // Every row that shows in the box, even by a pixel, is rendered.
          const firstShown = Math.floor(scrollTop / rowPx);
          const lastShown = Math.min(count - 1, Math.ceil((scrollTop + viewPx) / rowPx) - 1);
          expect(w.start <= firstShown && lastShown < w.end).toBe(true);
        },
      ),
    );
  });
});
