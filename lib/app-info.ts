import pkg from '../package.json';

/** Name and version of the control center, from package.json (no I/O at runtime). */
export const appInfo = {
  name: 'Control center',
  version: pkg.version,
} as const;
