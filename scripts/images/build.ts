/**
 * A Dockerfile built natively: each stage is a folder standing for its filesystem root; COPY copies from the
 * filtered build context or from an earlier stage's folder; RUN runs the Dockerfile's own commands (npm ci, npm run
 * build) with the stage's ENV, in its WORKDIR. Commands that only shape the base OS have no native equivalent and
 * are named in the log, never silently dropped: an unknown command fails the build.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { copyContext } from './context';
import { expand, parseDockerfile, type Stage } from './dockerfile';
import { keepPrebuilds, prebuildEnv } from './prebuilds';

export interface BuiltStage {
  name: string;
  /** The folder standing for the stage's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd?: string[];
  entrypoint?: string[];
  /** Image paths the Dockerfile creates and hands to the runtime user (mkdir + chown): the writable mounts. */
  writable: string[];
}

export type Log = (line: string) => void;

/** Host variables a native RUN keeps (a container starts from a clean environment plus the image's ENV). */
const HOST_ENV = ['PATH', 'HOME', 'LANG', 'npm_config_cache', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'];

/** What a stage path means on this machine. */
export function hostPath(stage: { root: string; workdir: string }, p: string): string {
  return path.join(stage.root, path.posix.resolve(stage.workdir, p));
}

function stageLabel(s: Stage): string {
  return s.name ?? `#${s.index}`;
}

export class StepError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`${step}: ${message}`);
  }
}

function runShell(command: string, cwd: string, env: Record<string, string>, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (b: Buffer) => {
      const s = b.toString();
      tail = (tail + s).slice(-6000);
      for (const line of s.split('\n')) if (line.trim()) log(`    ${line}`);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`exit ${code}; last output:\n${tail}`)),
    );
  });
}

/** One `&&` part of a RUN: run it, or say why it has no native equivalent; anything else is an error. */
async function runPart(part: string, stage: BuiltStage, log: Log): Promise<void> {
  const cwd = hostPath(stage, '.');
  const argv = part.split(/\s+/);
  if (/^npm cache clean\b/.test(part)) {
    log(
      `  skip \`${part}\`: empties the image's npm cache; natively it would empty this machine's shared cache`,
    );
    return;
  }
  if (/^npm\s/.test(part)) {
    const env: Record<string, string> = {};
    for (const k of HOST_ENV) if (process.env[k]) env[k] = process.env[k] as string;
    const prebuilds = prebuildEnv();
    Object.assign(env, stage.env, prebuilds, {
      // The machine's npm cache first (the registry only for what it lacks); same packages, same lockfile.
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
    });
    log(`  run \`${part}\` in ${stage.workdir}`);
    if (Object.keys(prebuilds).length > 0)
      log(`    (native addons: kept binaries of earlier builds where they fit)`);
    const started = Date.now();
    await runShell(part, cwd, env, log);
    log(`    done in ${Math.round((Date.now() - started) / 1000)} s`);
    if (/^npm (ci|install)\b/.test(part)) {
      for (const k of keepPrebuilds(cwd))
        log(`    kept the compiled addon ${k} for the next build (scripts/images/prebuilds.ts)`);
    }
    return;
  }
  if (/^apt-get\s/.test(part) || part === 'rm -rf /var/lib/apt/lists/*') {
    log(`  skip \`${part}\`: base-image OS packages (this machine provides its own toolchain)`);
    return;
  }
  if (/^(groupadd|useradd)\s/.test(part)) {
    log(`  skip \`${part}\`: the native run uses an unprivileged user of this machine instead`);
    return;
  }
  if (argv[0] === 'mkdir' && argv[1] === '-p') {
    for (const p of argv.slice(2)) mkdirSync(hostPath(stage, p), { recursive: true });
    return;
  }
  if (argv[0] === 'chown' && argv.length >= 3) {
    for (const p of argv.slice(2)) stage.writable.push(path.posix.resolve(stage.workdir, p));
    return;
  }
  throw new Error(`no native equivalent for \`${part}\` (add one in scripts/images/build.ts)`);
}

function copyInto(src: string, dest: string, destIsDir: boolean): void {
  if (!existsSync(src)) throw new Error(`${src} does not exist`);
  if (statSync(src).isDirectory()) {
    mkdirSync(dest, { recursive: true });
    cpSync(src, dest, { recursive: true, verbatimSymlinks: true });
    return;
  }
  const target = destIsDir ? path.join(dest, path.basename(src)) : dest;
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(src, target, { verbatimSymlinks: true });
}

export interface NativeBuild {
  /** The last stage: the image. */
  image: BuiltStage;
  /** Every stage still on disk, by name (or #index); a stage moved into its successor is left out. */
  stages: BuiltStage[];
}

/**
 * Builds every stage of the Dockerfile under workDir. A stage that only one later stage builds on is moved, not
 * copied (its folder is not read again).
 */
export async function buildNative(
  contextDir: string,
  dockerfileText: string,
  workDir: string,
  log: Log,
): Promise<NativeBuild> {
  const stages = parseDockerfile(dockerfileText);
  const context = path.join(workDir, 'context');
  const files = copyContext(contextDir, context);
  log(`context: ${files.length} files after .dockerignore`);
  const built = new Map<string, BuiltStage>();
  const uses = (name: string) =>
    stages.filter((s) => s.base === name || s.instructions.some((i) => i.kind === 'COPY' && i.from === name))
      .length;
  let last: BuiltStage | undefined;
  const moved = new Set<BuiltStage>();
  for (const s of stages) {
    const label = stageLabel(s);
    const root = path.join(workDir, `stage-${s.index}`);
    const parent = built.get(s.base);
    let stage: BuiltStage;
    if (parent) {
      if (uses(s.base) === 1) {
        renameSync(parent.root, root);
        moved.add(parent);
      } else cpSync(parent.root, root, { recursive: true, verbatimSymlinks: true });
      stage = { ...parent, name: label, root, env: { ...parent.env }, writable: [...parent.writable] };
    } else {
      mkdirSync(root, { recursive: true });
      stage = { name: label, root, workdir: '/', env: {}, writable: [] };
    }
    const nodeTag = /^node:(\d+\.\d+\.\d+)/.exec(s.base)?.[1];
    const mismatch =
      nodeTag && `v${nodeTag}` !== process.version ? `; this machine runs Node ${process.version}` : '';
    log(`stage ${label} (FROM ${s.base})${mismatch}`);
    for (const ins of s.instructions) {
      const step = `stage ${label}: ${ins.kind}`;
      try {
        switch (ins.kind) {
          case 'WORKDIR':
            stage.workdir = path.posix.resolve(stage.workdir, expand(ins.path, stage.env));
            mkdirSync(hostPath(stage, '.'), { recursive: true });
            break;
          case 'ENV':
            for (const [k, v] of Object.entries(ins.vars)) stage.env[k] = expand(v, stage.env);
            break;
          case 'COPY': {
            const from = ins.from === undefined ? undefined : built.get(ins.from);
            if (ins.from !== undefined && !from) throw new Error(`--from=${ins.from}: no such earlier stage`);
            const destIsDir = ins.dest.endsWith('/') || ins.dest === '.' || ins.sources.length > 1;
            const dest = hostPath(stage, ins.dest);
            for (const src of ins.sources) {
              if (/[*?[]/.test(src)) throw new Error(`COPY source with a wildcard (${src}) is not supported`);
              const abs = from ? hostPath(from, src) : path.join(context, path.posix.normalize(`/${src}`));
              copyInto(abs, dest, destIsDir);
            }
            if (ins.chown)
              log(`  COPY --chown=${ins.chown}: files handed to the runtime user (read-only below)`);
            break;
          }
          case 'RUN':
            for (const part of ins.command.split(/\s*&&\s*/)) await runPart(part.trim(), stage, log);
            break;
          case 'USER':
            stage.user = ins.user;
            break;
          case 'CMD':
            stage.cmd = ins.argv;
            break;
          case 'ENTRYPOINT':
            stage.entrypoint = ins.argv;
            stage.cmd = undefined;
            break;
          case 'OTHER':
            break;
        }
      } catch (e) {
        throw new StepError(step, (e as Error).message);
      }
    }
    built.set(label, stage);
    if (s.name) built.set(s.name, stage);
    last = stage;
  }
  if (!last) throw new Error('no stage');
  const kept = [...new Set(built.values())].filter((b) => !moved.has(b));
  return { image: last, stages: kept };
}
