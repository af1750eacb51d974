import { readFileSync, type Stats, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type EffectiveFaults, type FaultsFile, parseFaultsText, resolveFaults } from './faults-config.js';
import type { Logger } from './logger.js';

/** When FAULTS_FILE is a directory (a ConfigMap mounted whole), this is the key file read from it. */
export const DIRECTORY_KEY_FILE = 'faults.json';

export type FaultsWatcherOptions = {
  path: string | undefined;
  version: string;
  defaults: EffectiveFaults;
  pollMs: number;
  log: Logger;
};

export type FaultsWatcher = {
  current: () => EffectiveFaults;
  start: () => void;
  stop: () => void;
  /** Checks the file now (also called by the poll loop). */
  check: () => Promise<void>;
};

type Snapshot =
  | { kind: 'missing' }
  | { kind: 'file'; file: string; signature: string; text: string }
  | { kind: 'error'; file: string; reason: string };

const signatureOf = (s: Stats): string => `${s.ino}:${s.size}:${s.mtimeMs}`;

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Resolves the file to read: the path itself, or <dir>/faults.json when the path is a directory. */
async function locate(path: string): Promise<{ file: string; stats: Stats } | undefined> {
  try {
    const stats = await stat(path);
    if (!stats.isDirectory()) return { file: path, stats };
    const file = join(path, DIRECTORY_KEY_FILE);
    return { file, stats: await stat(file) };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function locateSync(path: string): { file: string; stats: Stats } | undefined {
  try {
    const stats = statSync(path);
    if (!stats.isDirectory()) return { file: path, stats };
    const file = join(path, DIRECTORY_KEY_FILE);
    return { file, stats: statSync(file) };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Polls the faults file (stat every pollMs: inode, size and mtime) and keeps the last good config.
 * Works when the file does not exist yet, is replaced by rename (ConfigMap updates) or is edited in place.
 */
export function createFaultsWatcher(options: FaultsWatcherOptions): FaultsWatcher {
  const { path, version, defaults, pollMs, log } = options;
  let config: FaultsFile | undefined;
  let effective = resolveFaults(undefined, version, defaults);
  let lastSignature: string | undefined;
  let lastState: 'missing' | 'ok' | 'invalid' | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking = false;

  const apply = (next: FaultsFile | undefined, file: string | undefined) => {
    config = next;
    effective = resolveFaults(config, version, defaults);
    log('info', 'faults_config_loaded', { file, source: next ? 'file' : 'env', faults: effective });
  };

  const handle = (snapshot: Snapshot) => {
    if (snapshot.kind === 'missing') {
      if (lastState === 'missing') return;
      lastSignature = undefined;
      lastState = 'missing';
      apply(undefined, undefined);
      return;
    }
    if (snapshot.kind === 'error') {
      lastSignature = undefined;
      log('error', 'faults_config_unreadable', { file: snapshot.file, reason: snapshot.reason });
      return;
    }
    if (snapshot.signature === lastSignature) return;
    lastSignature = snapshot.signature;
    const parsed = parseFaultsText(snapshot.text);
    if (!parsed.ok) {
      lastState = 'invalid';
      log('error', 'faults_config_invalid', {
        file: snapshot.file,
        reason: parsed.reason,
        kept: config ? 'last good file' : 'env defaults',
      });
      return;
    }
    lastState = 'ok';
    apply(parsed.config, snapshot.file);
  };

  const readSnapshot = async (): Promise<Snapshot> => {
    if (!path) return { kind: 'missing' };
    let found: { file: string; stats: Stats } | undefined;
    try {
      found = await locate(path);
    } catch (error) {
      return { kind: 'error', file: path, reason: (error as Error).message };
    }
    if (!found) return { kind: 'missing' };
    const signature = signatureOf(found.stats);
    if (signature === lastSignature) return { kind: 'file', file: found.file, signature, text: '' };
    try {
      const text = await readFile(found.file, 'utf8');
      // Re-stat so a write racing with the read is picked up on the next poll.
      const after = await stat(found.file);
      return { kind: 'file', file: found.file, signature: signatureOf(after), text };
    } catch (error) {
      if (isMissing(error)) return { kind: 'missing' };
      return { kind: 'error', file: found.file, reason: (error as Error).message };
    }
  };

  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      handle(await readSnapshot());
    } finally {
      checking = false;
    }
  };

  const checkSync = () => {
    if (!path) return handle({ kind: 'missing' });
    try {
      const found = locateSync(path);
      if (!found) return handle({ kind: 'missing' });
      const text = readFileSync(found.file, 'utf8');
      handle({ kind: 'file', file: found.file, signature: signatureOf(found.stats), text });
    } catch (error) {
      handle({ kind: 'error', file: path, reason: (error as Error).message });
    }
  };

  return {
    current: () => effective,
    check,
    start: () => {
      checkSync();
      if (!path || timer) return;
      timer = setInterval(() => void check(), pollMs);
      timer.unref();
    },
    stop: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
