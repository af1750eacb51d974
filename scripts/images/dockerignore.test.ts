import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IgnoreMatcher, readIgnoreFile } from './dockerignore';

const m = (text: string) => IgnoreMatcher.fromFile(text);

describe('.dockerignore reading', () => {
  it('drops comments and blank lines, trims, cleans paths and a leading slash', () => {
    expect(readIgnoreFile('\uFEFF# comment\n\n  /foo/bar/  \n./baz\n! /qux\n*/../x\n')).toEqual([
      'foo/bar',
      'baz',
      '!qux',
      'x',
    ]);
  });

  it('a # after leading space is a pattern, not a comment (only a line starting with # is one)', () => {
    expect(readIgnoreFile(' # not a comment')).toEqual(['# not a comment']);
  });

  it('a lone ! is an error', () => {
    expect(() => m('!')).toThrow(/illegal exception/);
  });
});

describe('.dockerignore matching (the examples of the Docker documentation)', () => {
  it('*/temp* excludes one level down only', () => {
    const x = m('*/temp*');
    expect(x.excludes('somedir/temporary.txt')).toBe(true);
    expect(x.excludes('somedir/temp')).toBe(true);
    expect(x.excludes('temp')).toBe(false);
    expect(x.excludes('a/b/temp')).toBe(false);
  });

  it('*/*/temp* excludes two levels down; temp? one character', () => {
    expect(m('*/*/temp*').excludes('somedir/subdir/temporary.txt')).toBe(true);
    expect(m('temp?').excludes('tempa')).toBe(true);
    expect(m('temp?').excludes('tempab')).toBe(false);
  });

  it('**/*.go matches at any depth, the root included', () => {
    const x = m('**/*.go');
    expect(x.excludes('main.go')).toBe(true);
    expect(x.excludes('a/b/c/main.go')).toBe(true);
    expect(x.excludes('a/b/c/main.gox')).toBe(false);
  });

  it('the last matching line wins: exceptions and re-exclusions', () => {
    const a = m('*.md\n!README*.md\nREADME-secret.md');
    expect(a.excludes('CHANGES.md')).toBe(true);
    expect(a.excludes('README.md')).toBe(false);
    expect(a.excludes('README-secret.md')).toBe(true);
    const b = m('*.md\nREADME-secret.md\n!README*.md');
    expect(b.excludes('README-secret.md')).toBe(false);
    expect(b.hasExceptions).toBe(true);
  });

  it('a matching parent folder excludes everything below it', () => {
    const x = m('webapp\nbench/results');
    expect(x.excludes('webapp/src/server.ts')).toBe(true);
    expect(x.excludes('bench/results/a/b.json')).toBe(true);
    expect(x.excludes('bench/run.ts')).toBe(false);
    expect(x.excludes('webappx')).toBe(false);
  });

  it('an exception can bring back a file below an excluded folder', () => {
    const x = m('docs\n!docs/keep.md');
    expect(x.excludes('docs/other.md')).toBe(true);
    expect(x.excludes('docs/keep.md')).toBe(false);
  });

  it('foo/** excludes what is below foo, **/x matches x at the root too', () => {
    expect(m('foo/**').excludes('foo/a/b')).toBe(true);
    expect(m('foo/**').excludes('foo')).toBe(false);
    expect(m('**/node_modules').excludes('node_modules')).toBe(true);
    expect(m('**/node_modules').excludes('a/node_modules/x/y.js')).toBe(true);
    expect(m('**').excludes('anything/at/all')).toBe(true);
  });

  it('regular-expression characters are literal; \\ escapes a wildcard', () => {
    expect(m('a+b(c).txt').excludes('a+b(c).txt')).toBe(true);
    expect(m('a.txt').excludes('abtxt')).toBe(false);
    expect(m('\\*.md').excludes('*.md')).toBe(true);
    expect(m('\\*.md').excludes('x.md')).toBe(false);
    expect(m('[ab].txt').excludes('b.txt')).toBe(true);
    expect(m('[ab].txt').excludes('c.txt')).toBe(false);
  });
});

describe("the repository's own .dockerignore files", () => {
  const root = path.resolve(__dirname, '../..');
  const read = (p: string) => IgnoreMatcher.fromFile(readFileSync(path.join(root, p), 'utf8'));

  it('the control center context leaves out what the image does not ship', () => {
    const x = read('.dockerignore');
    for (const p of [
      'node_modules/next/package.json',
      'webapp/src/server.ts',
      'loadgen/src/index.ts',
      'lab/main.ts',
      'lab/testing/index.ts',
      'support/testing/processes.ts',
      'server/kube/testing/lab-kube.ts',
      'server/testing/postgres.ts',
      'app/api/v1/rollouts/[namespace]/[name]/[action]/post-helper.test-support.ts',
      '.env.local',
    ]) {
      expect(x.excludes(p), p).toBe(true);
    }
    for (const p of [
      'bench/loadgen/run.ts',
      'scripts/canary/main.ts',
      'server/slo/evaluate.integration.test.ts',
    ]) {
      expect(x.excludes(p), p).toBe(true);
    }
    for (const p of [
      'app/page.tsx',
      'server/auth/guard.ts',
      'package-lock.json',
      'lab/package.json',
      'support/files/private-files.ts',
      'next.config.ts',
      '.env.example',
    ]) {
      expect(x.excludes(p), p).toBe(false);
    }
  });

  it('the webapp and loadgen contexts keep their sources, not their tests', () => {
    expect(read('webapp/.dockerignore').excludes('src/server.ts')).toBe(false);
    expect(read('webapp/.dockerignore').excludes('src/server.test.ts')).toBe(true);
    expect(read('loadgen/.dockerignore').excludes('src/cli.ts')).toBe(false);
    expect(read('loadgen/.dockerignore').excludes('src/runner.test.ts')).toBe(true);
  });
});
