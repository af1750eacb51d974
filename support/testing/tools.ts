import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The system tools tests run, with the Debian package `./run.sh install` installs each from (scripts/lib.sh
 * `apt_missing`). A test that needs one calls `requireTool`: when it is missing the test FAILS naming the tool and
 * the package; it never skips (a skipped test would count as a pass).
 */
export const TOOL_PACKAGES = {
  prometheus: 'prometheus',
  shellcheck: 'shellcheck',
  kubectl: 'kubernetes-client',
  openssl: 'openssl',
  chromium: 'chromium',
  jq: 'jq',
  postgres: 'postgresql',
} as const;
export type Tool = keyof typeof TOOL_PACKAGES;

/** Debian keeps PostgreSQL's server binaries off PATH, one folder per major version. */
const POSTGRESQL_LIB = '/usr/lib/postgresql';

/** `/usr/lib/postgresql/<major>/bin`, highest major first (none when PostgreSQL is not installed). */
export function postgresqlBinDirs(root = POSTGRESQL_LIB): string[] {
  let versions: string[];
  try {
    versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return [];
  }
  return versions.sort((a, b) => Number(b) - Number(a)).map((v) => path.join(root, v, 'bin'));
}

function candidates(tool: Tool): string[] {
  const lib = tool === 'postgres' ? postgresqlBinDirs().map((dir) => path.join(dir, tool)) : [];
  return [...lib, tool, `/usr/bin/${tool}`];
}

/** The tool's path (Debian's folder for it, PATH, or `/usr/bin/<tool>`), else an error naming the tool and its package. */
export function requireTool(tool: Tool): string {
  for (const candidate of candidates(tool)) {
    const res = spawnSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    if (!res.error) return candidate;
  }
  throw new Error(
    `${tool} is not installed: this test needs it (Debian package ${TOOL_PACKAGES[tool]}; \`./run.sh install\` installs it)`,
  );
}
