/** Small helpers shared by the load generator bench's files. */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
};
export const r2 = (v: number): number => Math.round(v * 100) / 100;
export const log = (msg: string): void => {
  process.stderr.write(`[bench:loadgen] ${msg}\n`);
};
