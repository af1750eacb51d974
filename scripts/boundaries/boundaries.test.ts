/**
 * The dependency rule (.dependency-cruiser.cjs, stage "boundaries" of ./run.sh test) on a small tree laid out like the
 * repository: every wrong-way import is refused under its rule's name, and the allowed ones pass. The real
 * dependency-cruiser runs on real files; the stage itself runs it on the whole repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@/support/testing/processes';

const CLI = path.join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = path.join(REPO_ROOT, '.dependency-cruiser.cjs');

let root: string;

function write(file: string, content: string): void {
  const p = path.join(root, file);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Cruises `files` of the tree with the project's rules; the violations found. */
function violations(files: string[]): Violation[] {
  const r = spawnSync(process.execPath, [CLI, '--config', CONFIG, '--output-type', 'json', ...files], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (!r.stdout) throw new Error(`dependency-cruiser gave no output (exit ${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const ruleOf = (vs: Violation[], from: string) => vs.filter((v) => v.from === from).map((v) => v.rule.name);

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'boundaries-'));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }));
  write(
    'lab/package.json',
    JSON.stringify({ name: '@control-center/lab', exports: { './testing': './testing/index.ts' } }),
  );
  write('lab/store/store.ts', 'export const store = 1;\n');
  write('lab/testing/index.ts', "export { store } from '../store/store';\n");
  mkdirSync(path.join(root, 'node_modules/@control-center'), { recursive: true });
  symlinkSync('../../lab', path.join(root, 'node_modules/@control-center/lab'));
  write('server/kube/client.ts', 'export const client = 1;\n');
  write('support/files/modes.ts', 'export const mode = 0o600;\n');
  write('lib/format.ts', 'export const f = 1;\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the dependency rule', () => {
  it('refuses each wrong-way import under its rule', () => {
    write('lib/bad.ts', "import { client } from '../server/kube/client';\nexport const x = client;\n");
    write('lib/bad-alias.ts', "import { client } from '@/server/kube/client';\nexport const x = client;\n");
    write('components/bad.tsx', "import { client } from '@/server/kube/client';\nexport const x = client;\n");
    write(
      'server/kube/uses-lab.ts',
      "import { store } from '@control-center/lab/testing';\nexport const x = store;\n",
    );
    write(
      'server/kube/deep.test.ts',
      "import { store } from '../../lab/store/store';\nexport const x = store;\n",
    );
    write(
      'lab/store/bad.ts',
      "import { client } from '../../server/kube/client';\nexport const x = client;\n",
    );
    write('support/files/bad.ts', "import { f } from '../../lib/format';\nexport const x = f;\n");
    write('lib/missing.ts', "import { y } from './does-not-exist';\nexport const x = y;\n");
    // A loop closed by a dynamic import, as the informer → timeline wiring once was.
    write('server/loop/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
    write('server/loop/b.ts', "export const b = async () => (await import('./a')).a;\n");
    const vs = violations(['lib', 'components', 'server', 'lab', 'support']);
    expect(ruleOf(vs, 'lib/bad.ts')).toEqual(['lib-is-pure']);
    expect(ruleOf(vs, 'lib/bad-alias.ts')).toEqual(['lib-is-pure']);
    expect(ruleOf(vs, 'components/bad.tsx')).toEqual(['components-no-server']);
    expect(ruleOf(vs, 'server/kube/uses-lab.ts')).toEqual(['lab-only-from-tests']);
    expect(ruleOf(vs, 'server/kube/deep.test.ts')).toEqual(['lab-only-through-its-test-entry']);
    expect(ruleOf(vs, 'lab/store/bad.ts')).toEqual(['lab-is-its-own-package']);
    expect(ruleOf(vs, 'support/files/bad.ts')).toEqual(['support-stands-alone']);
    expect(ruleOf(vs, 'lib/missing.ts')).toEqual(['not-to-unresolvable']);
    // dependency-cruiser names a loop once, from the first of its modules.
    expect([...ruleOf(vs, 'server/loop/a.ts'), ...ruleOf(vs, 'server/loop/b.ts')]).toEqual([
      'no-import-loops',
    ]);
  });

  it('lets the allowed directions pass', () => {
    write(
      'server/kube/uses-lab.test.ts',
      "import { store } from '@control-center/lab/testing';\nexport const x = store;\n",
    );
    write(
      'server/kube/testing/lab-kube.ts',
      "import { store } from '@control-center/lab/testing';\nexport const x = store;\n",
    );
    write(
      'server/kube/uses-lib.ts',
      "import { f } from '@/lib/format';\nimport { mode } from '@/support/files/modes';\nexport const x = f + mode;\n",
    );
    write(
      'lab/store/uses-support.ts',
      "import { mode } from '../../support/files/modes';\nexport const x = mode;\n",
    );
    write('components/uses-lib.tsx', "import { f } from '@/lib/format';\nexport const x = f;\n");
    // Two modules that name each other's types only: nothing runs in a loop.
    write('server/types/a.ts', "import type { B } from './b';\nexport interface A { b?: B }\n");
    write('server/types/b.ts', "import type { A } from './a';\nexport interface B { a?: A }\n");
    const files = [
      'server/types/a.ts',
      'server/types/b.ts',
      'server/kube/uses-lab.test.ts',
      'server/kube/testing/lab-kube.ts',
      'server/kube/uses-lib.ts',
      'lab/store/uses-support.ts',
      'components/uses-lib.tsx',
    ];
    expect(violations(files)).toEqual([]);
  });
});
