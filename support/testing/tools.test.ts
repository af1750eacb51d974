import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresqlBinDirs, requireTool } from './tools';

describe('PostgreSQL server binaries', () => {
  it('are looked up per major version, highest first', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'pglib-'));
    try {
      for (const v of ['9.6', '10', '15', '13', 'common']) mkdirSync(path.join(root, v));
      expect(postgresqlBinDirs(root)).toEqual(
        ['15', '13', '10', '9.6'].map((v) => path.join(root, v, 'bin')),
      );
      expect(postgresqlBinDirs(path.join(root, 'absent'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('are found off PATH (Debian package postgresql)', () => {
    expect(path.basename(requireTool('postgres'))).toBe('postgres');
  });
});
