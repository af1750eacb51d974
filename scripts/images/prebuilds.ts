/**
 * Native addons installed by prebuild-install (better-sqlite3) download a prebuilt binary from their GitHub release
 * during `npm ci`, and compile from source when they cannot. Where GitHub is out of reach every native image build
 * would compile again (minutes on 2 cores); so after a build the compiled addon is kept here, named as prebuild-install
 * names its release assets, and the next `npm ci` is pointed at it (`npm_config_<package>_local_prebuilds`, read by
 * prebuild-install itself). Same package version, same Node ABI, same platform: the binary a download would give.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const PREBUILD_DIR = path.join(
  process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'),
  'control-center-image-builds',
  'prebuilds',
);

const envPrefix = (pkg: string) => `npm_config_${pkg.replace(/[^a-zA-Z0-9]/g, '_').replace(/^_/, '')}`;

/** prebuild-install's asset name: {name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz (glibc: no libc). */
export function assetName(pkg: string, version: string): string {
  return `${pkg}-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
}

/** One variable per package with a kept binary (the variable only names a folder; a missing asset means download). */
export function prebuildEnv(dir = PREBUILD_DIR): Record<string, string> {
  if (!existsSync(dir)) return {};
  const env: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    const m = /^(.+)-v\d+\.\d+\.\d+[^-]*-node-v\d+-/.exec(f);
    if (m) env[`${envPrefix(m[1] as string)}_local_prebuilds`] = dir;
  }
  return env;
}

/** Keeps the compiled addons of node_modules (packages installed by prebuild-install) not kept yet; returns their names. */
export function keepPrebuilds(appDir: string, dir = PREBUILD_DIR): string[] {
  const modules = path.join(appDir, 'node_modules');
  if (!existsSync(modules)) return [];
  const kept: string[] = [];
  const pkgDirs = readdirSync(modules).flatMap((n) =>
    n.startsWith('@') ? readdirSync(path.join(modules, n)).map((m) => `${n}/${m}`) : [n],
  );
  for (const name of pkgDirs) {
    const pkgDir = path.join(modules, name);
    const pkgFile = path.join(pkgDir, 'package.json');
    const release = path.join(pkgDir, 'build', 'Release');
    if (!existsSync(pkgFile) || !existsSync(release)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
      version?: string;
      scripts?: { install?: string };
    };
    if (!pkg.version || !pkg.scripts?.install?.includes('prebuild-install')) continue;
    // The release asset holds the package's own addon only (better_sqlite3.node, not test builds beside it):
    // prebuild-install loads the file it unpacked to check it.
    const main = `${name.replace(/^@[^/]+\//, '').replace(/[^a-zA-Z0-9]/g, '_')}.node`;
    const addons = readdirSync(release).filter((f) => f === main);
    const asset = path.join(dir, assetName(name, pkg.version));
    if (addons.length === 0 || existsSync(asset)) continue;
    mkdirSync(dir, { recursive: true });
    const tar = spawnSync('tar', ['-czf', asset, '-C', pkgDir, ...addons.map((a) => `build/Release/${a}`)]);
    if (tar.status !== 0) throw new Error(`tar ${asset}: ${tar.stderr?.toString()}`);
    kept.push(path.basename(asset));
  }
  return kept;
}
