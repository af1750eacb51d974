/** Which rows of a scrolled list of equal-height rows are rendered, and the space the others stand for. */
export interface RowWindow {
  /** The first rendered row (0-based) and one past the last. */
  start: number;
  end: number;
  /** The height of the rows above `start` and below `end`, px (the spacers). */
  above: number;
  below: number;
}

/**
 * The rows in view of a box `viewPx` tall scrolled down by `scrollTop`, over `count` rows of `rowPx` each, and
 * `overscan` more on each side (a scroll by a few rows shows rows already there). Pure arithmetic: rows are one
 * height, so nothing is measured.
 */
export function rowWindow(
  count: number,
  rowPx: number,
  scrollTop: number,
  viewPx: number,
  overscan: number,
): RowWindow {
  if (count <= 0 || rowPx <= 0) return { start: 0, end: 0, above: 0, below: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.min(count - 1, Math.floor(top / rowPx));
  const last = Math.min(count - 1, Math.max(first, Math.ceil((top + Math.max(0, viewPx)) / rowPx) - 1));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + 1 + overscan);
  return { start, end, above: start * rowPx, below: (count - end) * rowPx };
}
