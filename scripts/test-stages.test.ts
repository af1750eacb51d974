import { mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './testing/script-lab';

/** A PATH with only these tools (found on the current PATH): the others are "not installed". */
function pathWith(tools: string[]): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'stage-bin-'));
  for (const t of tools) {
    const found = (process.env.PATH ?? '')
      .split(':')
      .map((d) => path.join(d, t))
      .find((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      });
    if (!found) throw new Error(`${t} is not on PATH`);
    symlinkSync(found, path.join(bin, t));
  }
  return bin;
}

describe('./run.sh test: a stage that cannot run says "skipped (why)" and fails (scripts/test.sh)', () => {
  it('shellcheck missing: the stage reads skipped, naming the package, and the summary fails', async () => {
    const PATH = pathWith(['bash', 'mktemp', 'cat', 'rm']);
    const res = await runCommand(
      'bash',
      [
        '-c',
        'source scripts/lib.sh; source scripts/test.sh; stage "lint (shellcheck)" shellcheck_scripts; stage "fine" true; stage_summary',
      ],
      { PATH, HOME: tmpdir() },
    );
    expect(res.stderr).toContain(
      'skipped (shellcheck is not installed: Debian package shellcheck, ./run.sh install installs it): counted as failed',
    );
    expect(res.stdout).toMatch(
      /lint \(shellcheck\) +skipped \(shellcheck is not installed: Debian package shellcheck/,
    );
    expect(res.stdout).toMatch(/fine +pass/);
    expect(res.code).toBe(1);
  });

  it('a stage that fails is FAIL with its exit code; all passing is a pass', async () => {
    const res = await runCommand(
      'bash',
      ['-c', 'source scripts/lib.sh; source scripts/test.sh; stage one true; stage two false; stage_summary'],
      { PATH: process.env.PATH, HOME: tmpdir() },
    );
    expect(res.stdout).toMatch(/two +FAIL \(exit 1\)/);
    expect(res.code).toBe(1);
    const ok = await runCommand(
      'bash',
      ['-c', 'source scripts/lib.sh; source scripts/test.sh; stage one true; stage_summary'],
      {
        PATH: process.env.PATH,
        HOME: tmpdir(),
      },
    );
    expect(ok.code).toBe(0);
  });
});
