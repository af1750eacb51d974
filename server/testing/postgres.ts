import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../support/testing/processes';
import { requireTool } from '../../support/testing/tools';

/**
 * A real PostgreSQL server (Debian's package) for tests: its own data folder, password authentication
 * (scram-sha-256) over TCP on 127.0.0.1 only, no Unix socket, and the durability settings of production (fsync and
 * synchronous_commit on). Start one per test file and `createDatabase()` per suite.
 */
export interface TestPostgres {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'postgres';
  readonly password: string;
  readonly dataDir: string;
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** A new empty database; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** The postmaster's PID while it runs. */
  pid(): number | undefined;
  /** The server's log (the last 20 kB), for failure messages. */
  output(): string;
  /** A crash: SIGKILL to the postmaster; returns once its server processes are gone too. */
  kill(): Promise<void>;
  /** A server that stops answering but keeps its connections open (SIGSTOP to every server process). */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
  /** Starts the server again on the same data folder and port (crash recovery runs first); returns when it answers. */
  restart(): Promise<void>;
  /** Fast shutdown (SIGINT), SIGKILL after 10 s; removes the data folder. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const GONE_TIMEOUT_MS = 10_000;

/** initdb and postgres get a small environment of their own (no PG* variables of the caller). */
const SERVER_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'test',
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  LANG: 'C',
  LC_ALL: 'C',
  TZ: 'UTC',
};

interface Owner {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root, its processes run as the `postgres` user Debian's package creates. */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const res = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8', timeout: 10_000 });
  const fields = res.status === 0 ? res.stdout.trim().split(':') : [];
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || fields.length < 4)
    throw new Error(
      'user postgres is missing: PostgreSQL cannot run as root and the tests run it as that user (Debian package postgresql creates it; `./run.sh install` installs it)',
    );
  return { uid, gid };
}

/** The folder of `initdb` and `postgres`: Debian's /usr/lib/postgresql/<major>/bin (highest), else PATH. */
function serverBinaries(): { postgres: string; initdb: string } {
  const postgres = requireTool('postgres');
  const beside = path.join(path.dirname(postgres), 'initdb');
  const initdb = path.isAbsolute(postgres) && existsSync(beside) ? beside : 'initdb';
  return { postgres, initdb };
}

/** PIDs whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone while reading
    }
  }
  return out;
}

/** A process that still runs (a zombie does not: it holds no shared memory and no port). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(cmd: string, args: string[], owner: Owner | undefined, cwd: string): void {
  const res = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: SERVER_ENV,
    ...owner,
  });
  if (res.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`}):\n${res.stderr}`,
    );
}

/** Starts a fresh PostgreSQL server; fails (naming the package) when PostgreSQL is not installed. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = serverBinaries();
  const owner = serverOwner();
  const root = mkdtempSync(path.join(tmpdir(), 'cc-pg-'));
  const dataDir = path.join(root, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwfile = path.join(root, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  try {
    run(
      bin.initdb,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      owner,
      root,
    );
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  rmSync(pwfile);
  const port = await freePort();
  const server = new PostgresProcess(bin.postgres, dataDir, port, owner, root);
  const url = (database = 'postgres') =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  try {
    await server.start(url());
  } catch (err) {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    dataDir,
    url,
    createDatabase: async (name = `t_${randomBytes(6).toString('hex')}`) => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${JSON.stringify(name)}`);
      await query(url(), `CREATE DATABASE ${name}`);
      return url(name);
    },
    pid: () => server.pid(),
    output: () => server.output(),
    kill: () => server.kill(),
    freeze: () => server.signalAll('SIGSTOP'),
    thaw: () => server.signalAll('SIGCONT'),
    restart: () => server.start(url()),
    stop: async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function query(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One postmaster process on a data folder (started again by `start` after a stop or a crash). */
class PostgresProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  constructor(
    private readonly postgres: string,
    private readonly dataDir: string,
    private readonly port: number,
    private readonly owner: Owner | undefined,
    private readonly cwd: string,
  ) {}

  pid(): number | undefined {
    return this.child && this.child.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  output(): string {
    return this.log;
  }

  async start(url: string): Promise<void> {
    if (this.pid() !== undefined) throw new Error('PostgreSQL is already running');
    const settings = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      // Production's durability: a commit returns once its WAL is on disk.
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
    };
    const options: SpawnOptions = {
      cwd: this.cwd,
      env: SERVER_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...this.owner,
    };
    const args = ['-D', this.dataDir, '-p', String(this.port)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const child = spawn(this.postgres, args, options);
    this.child = child;
    const keep = (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = '';
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`PostgreSQL exited at start (${child.exitCode ?? child.signalCode}):\n${this.log}`);
      try {
        await query(url, 'SELECT 1');
        return;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline)
        throw new Error(
          `PostgreSQL on port ${this.port} did not answer within ${READY_TIMEOUT_MS} ms (${last}):\n${this.log}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async kill(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    const children = childrenOf(pid);
    this.child?.kill('SIGKILL');
    await this.exited;
    // Its backends notice the postmaster's death and exit; a new postmaster refuses to start while they hold the
    // shared memory.
    await waitUntil(
      `PostgreSQL server processes ${children.join(', ')} after the postmaster's SIGKILL`,
      () => !children.some(running),
      GONE_TIMEOUT_MS,
    );
  }

  private signalled: number[] = [];

  /** Sends `signal` to the postmaster and every server process; SIGCONT goes to the ones SIGSTOP reached. */
  signalAll(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.pid();
    if (pid === undefined) throw new Error('PostgreSQL is not running');
    if (signal === 'SIGSTOP') this.signalled = [pid, ...childrenOf(pid)];
    for (const p of this.signalled) {
      try {
        process.kill(p, signal);
      } catch {
        // exited meanwhile
      }
    }
  }

  /** SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to disconnect). */
  async stop(): Promise<void> {
    if (this.pid() === undefined) return;
    this.child?.kill('SIGINT');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
