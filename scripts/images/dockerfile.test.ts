import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expand, logicalLines, parseDockerfile, words } from './dockerfile';

const ROOT = path.resolve(__dirname, '../..');
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

describe('Dockerfile parsing', () => {
  it('joins continuations, drops comments and directives', () => {
    expect(
      logicalLines('# syntax=docker/dockerfile:1\nFROM a\nRUN x \\\n  # inside\n  && y\n\nCMD ["z"]\n'),
    ).toEqual([
      { line: 2, text: 'FROM a' },
      { line: 3, text: 'RUN x    && y' },
      { line: 7, text: 'CMD ["z"]' },
    ]);
  });

  it('reads quoted words and both ENV forms', () => {
    expect(words('A=1 B="two words" C=\'x y\'')).toEqual(['A=1', 'B=two words', 'C=x y']);
    const [stage] = parseDockerfile(`FROM a\nENV A=1 B="x y"\nENV LEGACY some value\nENV C=$A-\${B}`);
    expect(stage?.instructions.slice(0, 2)).toEqual([
      { kind: 'ENV', vars: { A: '1', B: 'x y' } },
      { kind: 'ENV', vars: { LEGACY: 'some value' } },
    ]);
    expect(expand(`$A-\${B}`, { A: '1', B: 'x y' })).toBe('1-x y');
  });

  it('reads COPY flags, stages and exec-form commands; refuses what it cannot build', () => {
    const stages = parseDockerfile(
      'FROM img:1 AS build\nCOPY --chown=1:1 a b ./\nFROM img:1\nCOPY --from=build /app/dist ./dist\nUSER node\nENTRYPOINT ["node", "/app/cli.js"]\nCMD ["--help"]',
    );
    expect(stages.map((s) => [s.base, s.name])).toEqual([
      ['img:1', 'build'],
      ['img:1', undefined],
    ]);
    expect(stages[0]?.instructions[0]).toEqual({
      kind: 'COPY',
      chown: '1:1',
      sources: ['a', 'b'],
      dest: './',
    });
    expect(stages[1]?.instructions).toContainEqual({ kind: 'ENTRYPOINT', argv: ['node', '/app/cli.js'] });
    expect(() => parseDockerfile('FROM a\nADD x y')).toThrow(/line 2: unsupported instruction ADD/);
    expect(() => parseDockerfile('FROM a\nCMD node server.js')).toThrow(/shell form/);
    expect(() => parseDockerfile('RUN x')).toThrow(/before the first FROM/);
  });
});

describe("the repository's Dockerfiles", () => {
  const files = ['Dockerfile', 'webapp/Dockerfile', 'loadgen/Dockerfile'];

  it('every base image is the same Node LTS bookworm-slim, pinned by tag and digest', () => {
    const bases = files.flatMap((f) => {
      const stages = parseDockerfile(read(f));
      const names = new Set(stages.map((s) => s.name));
      return stages.filter((s) => !names.has(s.base)).map((s) => s.base);
    });
    expect(bases).toHaveLength(6);
    expect(new Set(bases).size).toBe(1);
    expect(bases[0]).toMatch(/^node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
  });

  it('the CI containers run the same Node version as the images', () => {
    const base = parseDockerfile(read('Dockerfile'))[0]?.base ?? '';
    const version = /^node:([\d.]+)-/.exec(base)?.[1];
    const wf = parse(read('.github/workflows/delivery.yml')) as {
      jobs: Record<string, { container?: { image: string } }>;
    };
    const containers = Object.values(wf.jobs).flatMap((j) => (j.container ? [j.container.image] : []));
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers)
      expect(c).toMatch(new RegExp(`^node:${version}-bookworm@sha256:[0-9a-f]{64}$`));
  });

  it('each final stage runs unprivileged with an exec-form command', () => {
    for (const f of files) {
      const last = parseDockerfile(read(f)).at(-1);
      const user = last?.instructions.find((i) => i.kind === 'USER');
      expect(user, f).toBeDefined();
      expect(user && 'user' in user ? user.user : 'root', f).not.toMatch(/^(root|0)(:|$)/);
      expect(last?.instructions.some((i) => i.kind === 'CMD' || i.kind === 'ENTRYPOINT')).toBe(true);
    }
  });
});
