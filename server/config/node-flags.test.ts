import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  config: { nodeFlags: string };
  scripts: { start: string };
};
const flags = pkg.config.nodeFlags;

describe('the heap bounds the control center ships with', () => {
  it('are the same for npm start, ./run.sh local and the image', () => {
    expect(flags).toMatch(/--max-old-space-size=\d+/);
    expect(pkg.scripts.start).toContain('$npm_package_config_nodeFlags');
    expect(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).toContain(`NODE_OPTIONS="${flags}"`);
    expect(readFileSync(path.join(ROOT, 'scripts/local.sh'), 'utf8')).toContain('config.nodeFlags');
  });

  it('are flags this node accepts (a typo would stop the server at start)', () => {
    const out = execFileSync(
      process.execPath,
      [...flags.split(' '), '-p', "require('v8').getHeapStatistics().heap_size_limit"],
      {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    const limitMb = Number(out.trim()) / 2 ** 20;
    const oldMb = Number(/--max-old-space-size=(\d+)/.exec(flags)?.[1]);
    expect(limitMb).toBeGreaterThanOrEqual(oldMb);
    expect(limitMb).toBeLessThan(oldMb + 64);
  });
});
