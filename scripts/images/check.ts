/**
 * Builds each image without Docker and checks it runs: `tsx scripts/images/check.ts [control-center|webapp|loadgen]...`
 * (all three by default). Per image: the build context exactly as Docker would send it (.dockerignore applied) in a
 * temporary folder, the Dockerfile's own RUN steps with its ENV, then the final stage alone, read-only and
 * unprivileged, checked over HTTP. A failure names the image and the step. IMAGES_KEEP=1 keeps the folders.
 *
 * `--next-out DIR`: once the control center passes, its `next build` output (the .next the image's standalone server
 * comes from) is copied to DIR, so `next start` (the e2e tests) serves the very build the image ships.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BuiltStage, buildNative, hostPath, StepError } from './build';
import { IMAGES } from './images';
import { keepPrebuilds } from './prebuilds';
import { lockDown, unlock } from './start';

const ROOT = path.resolve(__dirname, '../..');

/** The stage where `next build` ran: its .next without standalone/ (in the image) and cache/. */
function exportNext(stages: BuiltStage[], dest: string): boolean {
  const built = stages.find((s) => existsSync(hostPath(s, '.next/BUILD_ID')));
  if (!built) return false;
  const src = hostPath(built, '.next');
  rmSync(dest, { recursive: true, force: true });
  cpSync(src, dest, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (p) => p !== path.join(src, 'standalone') && p !== path.join(src, 'cache'),
  });
  return true;
}

async function checkImage(name: string, nextOut?: string): Promise<boolean> {
  const spec = IMAGES.find((i) => i.name === name);
  if (!spec) throw new Error(`unknown image ${name} (known: ${IMAGES.map((i) => i.name).join(', ')})`);
  const contextDir = path.join(ROOT, spec.context);
  const workDir = mkdtempSync(path.join(tmpdir(), `image-${name}-`));
  const started = Date.now();
  const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const log = (line: string) => process.stdout.write(`[${name}] ${line}\n`);
  let step = 'build';
  try {
    const dockerfile = readFileSync(path.join(contextDir, 'Dockerfile'), 'utf8');
    const { image, stages } = await buildNative(contextDir, dockerfile, workDir, log);
    log(`built in ${seconds()}`);
    step = 'start (read-only, unprivileged)';
    const writable = lockDown(image, workDir);
    log(`read-only tree; writable: ${writable.join(', ')}; user ${image.user} -> nobody when run as root`);
    step = 'check';
    log(await spec.check(image, ROOT));
    if (nextOut) {
      step = 'export .next';
      if (!exportNext(stages, nextOut)) throw new Error('no stage holds a .next/BUILD_ID');
      log(`next build output copied to ${path.relative(process.cwd(), nextOut) || nextOut}`);
    }
    log(`ok in ${seconds()}`);
    return true;
  } catch (e) {
    const where = e instanceof StepError ? e.step : step;
    const message = e instanceof StepError ? e.message.slice(e.step.length + 2) : (e as Error).message;
    process.stderr.write(`image ${name}: ${where} FAILED after ${seconds()}:\n${message}\n`);
    return false;
  } finally {
    if (process.env.IMAGES_KEEP === '1') log(`kept ${workDir}`);
    else {
      unlock(workDir);
      rmSync(workDir, { recursive: true, force: true });
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--next-out');
  const nextOut = at >= 0 ? path.resolve(args[at + 1] ?? '.next') : undefined;
  if (at >= 0) args.splice(at, 2);
  // An earlier build left there must not stand in for this one if the control center fails.
  if (nextOut) rmSync(nextOut, { recursive: true, force: true });
  // The checkout's own install compiled the same addons (same lockfile, Node and platform) when no prebuilt binary
  // could be downloaded: kept, the image builds' npm ci installs them instead of compiling them again.
  for (const k of keepPrebuilds(ROOT)) process.stdout.write(`kept the checkout's compiled addon ${k}\n`);
  const results: [string, boolean][] = [];
  for (const name of args.length > 0 ? args : IMAGES.map((i) => i.name)) {
    results.push([name, await checkImage(name, name === 'control-center' ? nextOut : undefined)]);
  }
  for (const [name, ok] of results) process.stdout.write(`image ${name}: ${ok ? 'ok' : 'FAILED'}\n`);
  process.exitCode = results.every(([, ok]) => ok) ? 0 : 1;
}

void main();
