/**
 * Waits for `work` at most `ms`: past that, rejects with `message` (`late` makes it from `ms`). The work itself goes
 * on; its outcome after that is dropped (never an unhandled rejection). The timer does not hold the process open.
 */
export function within<T>(work: Promise<T>, ms: number, late: (ms: number) => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(late(ms))), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([work, overdue]).finally(() => clearTimeout(timer));
}
