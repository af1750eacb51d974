import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assetName, keepPrebuilds, prebuildEnv } from './prebuilds';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'prebuilds-'));
  dirs.push(d);
  return d;
};

function addon(app: string, name: string, install: string): void {
  const dir = path.join(app, 'node_modules', name);
  mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.2.3', scripts: { install } }),
  );
  writeFileSync(path.join(dir, 'build', 'Release', `${name.replaceAll('-', '_')}.node`), 'binary');
  writeFileSync(path.join(dir, 'build', 'Release', 'test_extension.node'), 'a test build, not shipped');
}

describe('compiled native addons kept for the next native build', () => {
  it('keeps a prebuild-install package once, under its release asset name, and points npm at it', () => {
    const app = temp();
    const cache = temp();
    addon(app, 'some-addon', 'prebuild-install || node-gyp rebuild --release');
    addon(app, 'gyp-only', 'node-gyp rebuild');
    const asset = assetName('some-addon', '1.2.3');
    expect(asset).toBe(
      `some-addon-v1.2.3-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`,
    );
    expect(keepPrebuilds(app, cache)).toEqual([asset]);
    expect(keepPrebuilds(app, cache)).toEqual([]);
    const list = spawnSync('tar', ['-tzf', path.join(cache, asset)], { encoding: 'utf8' });
    expect(list.stdout.trim().split('\n')).toEqual(['build/Release/some_addon.node']);
    expect(prebuildEnv(cache)).toEqual({ npm_config_some_addon_local_prebuilds: cache });
  });

  it('nothing kept: no variables', () => {
    expect(prebuildEnv(path.join(temp(), 'missing'))).toEqual({});
  });
});
