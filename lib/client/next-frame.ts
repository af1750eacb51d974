/** Runs `fn` at the next animation frame while the page is visible, else in 16 ms (a hidden tab gets no frames). */
export function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible')
    requestAnimationFrame(fn);
  else setTimeout(fn, 16);
}
