import { spawnSync } from 'node:child_process';

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
} as const;
export type Tool = keyof typeof TOOL_PACKAGES;

/** The tool's path on PATH (or `/usr/bin/<tool>`), else an error naming the tool and its Debian package. */
export function requireTool(tool: Tool): string {
  for (const candidate of [tool, `/usr/bin/${tool}`]) {
    const res = spawnSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    if (!res.error) return candidate;
  }
  throw new Error(
    `${tool} is not installed: this test needs it (Debian package ${TOOL_PACKAGES[tool]}; \`./run.sh install\` installs it)`,
  );
}
