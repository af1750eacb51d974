import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildNative, StepError } from './build';
import { isRoot, lockDown, NOBODY, startImage, unlock } from './start';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) {
    unlock(d);
    rmSync(d, { recursive: true, force: true });
  }
});

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-fixture-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

// The build step records what it saw; the runtime reports who it runs as and where it may write.
const BUILD_JS = `const fs = require('fs');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/seen.json', JSON.stringify({ flag: process.env.FLAG, secret: fs.existsSync('secret.txt'),
  test: fs.existsSync('src/a.test.js') }));
fs.copyFileSync('src/main.js', 'dist/main.js');`;
const MAIN_JS = `const fs = require('fs');
const can = (p) => { try { fs.writeFileSync(p, 'x'); return true; } catch { return false; } };
console.log(JSON.stringify({ uid: process.getuid(), seen: JSON.parse(fs.readFileSync(__dirname + '/seen.json', 'utf8')),
  app: can(__dirname + '/w'), data: can(process.env.DATA_DIR + '/w'), tmp: can(process.env.TMPDIR + '/w'),
  srcShipped: fs.existsSync(__dirname + '/../src') }));`;
const DOCKERFILE = `FROM node:0-slim AS build
WORKDIR /app
ENV FLAG=from-the-dockerfile
COPY package.json ./
COPY . .
RUN npm run build
FROM node:0-slim
ENV DATA_DIR=/data
WORKDIR /app
RUN mkdir -p /data && chown 1001:1001 /data
COPY --from=build /app/dist ./dist
USER 1001:1001
CMD ["node", "dist/main.js"]
`;

describe('a Dockerfile built natively', () => {
  it('builds from the filtered context with the stage ENV, then runs the last stage read-only and unprivileged', async () => {
    const ctx = fixture({
      '.dockerignore': 'secret.txt\n**/*.test.js\n',
      'package.json': JSON.stringify({ name: 'fixture', private: true, scripts: { build: 'node build.js' } }),
      'build.js': BUILD_JS,
      'src/main.js': MAIN_JS,
      'src/a.test.js': '',
      'secret.txt': 'not for the image',
    });
    const work = mkdtempSync(path.join(tmpdir(), 'image-work-'));
    dirs.push(work);
    const lines: string[] = [];
    const { image, stages } = await buildNative(ctx, DOCKERFILE, work, (l) => lines.push(l));
    expect(stages.map((s) => s.name)).toEqual(['build', '#1']);
    expect(image.writable).toEqual(['/data']);
    lockDown(image, work);
    const run = startImage(image, {});
    const code = await run.exited;
    expect(code, run.output()).toBe(0);
    const report = JSON.parse(run.output().trim());
    expect(report).toEqual({
      uid: isRoot() ? NOBODY : process.getuid?.(),
      seen: { flag: 'from-the-dockerfile', secret: false, test: false },
      app: false,
      data: true,
      tmp: true,
      srcShipped: false,
    });
  });

  it('a RUN command with no native equivalent fails the build, naming the stage and step', async () => {
    const ctx = fixture({ 'a.txt': 'a' });
    const work = mkdtempSync(path.join(tmpdir(), 'image-work-'));
    dirs.push(work);
    const build = buildNative(
      ctx,
      'FROM x AS deps\nRUN curl -o /x https://example.invalid/\n',
      work,
      () => {},
    );
    await expect(build).rejects.toBeInstanceOf(StepError);
    await expect(build).rejects.toThrow(/^stage deps: RUN: no native equivalent for `curl/);
  });

  it('a failing npm step fails the build with its output', async () => {
    const ctx = fixture({
      'package.json': JSON.stringify({
        name: 'f',
        private: true,
        scripts: { build: 'node -e "process.exit(3)"' },
      }),
    });
    const work = mkdtempSync(path.join(tmpdir(), 'image-work-'));
    dirs.push(work);
    const df = 'FROM x AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\n';
    await expect(buildNative(ctx, df, work, () => {})).rejects.toThrow(/stage build: RUN: exit 3/);
  });
});
