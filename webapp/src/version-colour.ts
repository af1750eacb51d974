import { createHash } from 'node:crypto';

const FIXED: Record<string, string> = {
  'v1.0': '#2563eb', // blue
  'v1.1': '#f59e0b', // amber
};

/** v1.0 blue, v1.1 amber, any other version a stable hue derived from its hash. */
export function versionColour(version: string): string {
  const fixed = FIXED[version];
  if (fixed) return fixed;
  const hue = createHash('sha256').update(version).digest().readUInt16BE(0) % 360;
  return `hsl(${hue}, 70%, 45%)`;
}
