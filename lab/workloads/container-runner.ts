import os from 'node:os';
import { type Exit, type RunningProcess, type SpawnSpec, spawnLogged, terminate } from './child-process';
import { nowIso } from './owner';
import { probeHttp } from './readiness-probe';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export type ContainerState =
  | { running: { startedAt: string } }
  | { waiting: { reason: string; message?: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        signal?: number;
        startedAt?: string;
        finishedAt: string;
        message?: string;
      };
    };

export interface ContainerRunnerOptions {
  name: string;
  image: string;
  spawnSpec: SpawnSpec;
  restartPolicy: RestartPolicy;
  /** Polled every `probeIntervalMs` while running; without it the container is ready once started. */
  readinessUrl?: string;
  probeIntervalMs?: number;
  /** Consecutive probe failures before a ready container turns unready (readinessProbe.failureThreshold, default 3). */
  failureThreshold?: number;
  restartCount: number;
  lastState?: ContainerState;
  onChange: () => void;
  onEvent: (type: 'Normal' | 'Warning', reason: string, message: string) => void;
  onStarted: (pid: number) => void;
}

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 10_000;
/** A container that ran this long before exiting starts its back-off over at 1 s. */
const BACKOFF_RESET_MS = 10_000;

/** One container as a local process: restart policy with back-off, readiness polling, Kubernetes-shaped status. */
export class ContainerRunner {
  restartCount: number;
  ready = false;
  state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  lastState: ContainerState | undefined;
  private proc: RunningProcess | undefined;
  private stopping = false;
  private crashes = 0;
  private startedAtMs = 0;
  private backoffTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ContainerRunnerOptions) {
    this.restartCount = opts.restartCount;
    this.lastState = opts.lastState;
  }

  get name(): string {
    return this.opts.name;
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  get running(): boolean {
    return 'running' in this.state;
  }

  get restarting(): boolean {
    return 'waiting' in this.state && this.state.waiting.reason === 'CrashLoopBackOff';
  }

  get exitCode(): number | undefined {
    return 'terminated' in this.state ? this.state.terminated.exitCode : undefined;
  }

  start(): void {
    if (this.stopping) return;
    const { opts } = this;
    const proc = spawnLogged(opts.spawnSpec);
    const startedAt = nowIso();
    this.proc = proc;
    this.startedAtMs = Date.now();
    this.state = { running: { startedAt } };
    this.ready = !opts.readinessUrl;
    opts.onEvent('Normal', 'Created', `Created container ${opts.name}`);
    opts.onEvent('Normal', 'Started', `Started container ${opts.name}`);
    if (proc.child.pid) opts.onStarted(proc.child.pid);
    if (opts.readinessUrl) this.probe(proc, opts.readinessUrl);
    opts.onChange();
    void proc.exited.then((exit) => this.onExit(proc, exit, startedAt));
  }

  /** Marks the container as ended without a process (the lab restarted while it ran and it must not restart). */
  markLost(reason: string): void {
    this.state = {
      terminated: { exitCode: 137, reason, finishedAt: nowIso(), message: 'the lab restarted while it ran' },
    };
  }

  /** Ready turns false at once; then SIGTERM, and SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.ready = false;
    clearTimeout(this.backoffTimer);
    clearTimeout(this.probeTimer);
    if (this.proc) await terminate(this.proc, graceMs);
  }

  status(): Record<string, unknown> {
    return {
      name: this.opts.name,
      image: this.opts.image,
      imageID: `lab://${this.opts.image}`,
      containerID: this.proc?.child.pid ? `lab://${os.hostname()}/${this.proc.child.pid}` : undefined,
      ready: this.ready,
      started: this.running,
      restartCount: this.restartCount,
      state: this.state,
      ...(this.lastState ? { lastState: this.lastState } : { lastState: {} }),
    };
  }

  private probe(proc: RunningProcess, url: string): void {
    let failures = 0;
    const tick = async () => {
      if (this.proc !== proc || this.stopping) return;
      const passed = await probeHttp(url, 1000);
      if (this.proc !== proc || this.stopping) return;
      failures = passed ? 0 : failures + 1;
      const ok = passed || (this.ready && failures < (this.opts.failureThreshold ?? 3));
      if (ok !== this.ready) {
        this.ready = ok;
        this.opts.onChange();
      }
      this.probeTimer = setTimeout(tick, this.opts.probeIntervalMs ?? 250);
    };
    this.probeTimer = setTimeout(tick, 50);
  }

  private onExit(proc: RunningProcess, exit: Exit, startedAt: string): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    clearTimeout(this.probeTimer);
    this.ready = false;
    const exitCode = exit.code ?? 128 + signalNumber(exit.signal);
    const terminated: ContainerState = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        ...(exit.signal ? { signal: signalNumber(exit.signal) } : {}),
        startedAt,
        finishedAt: nowIso(),
      },
    };
    const policy = this.opts.restartPolicy;
    const restart = !this.stopping && (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
    if (!restart) {
      this.state = terminated;
      this.opts.onChange();
      return;
    }
    if (Date.now() - this.startedAtMs >= BACKOFF_RESET_MS) this.crashes = 0;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.crashes);
    this.crashes++;
    this.lastState = terminated;
    const message = `back-off ${delay / 1000}s restarting failed container=${this.opts.name}`;
    this.state = { waiting: { reason: 'CrashLoopBackOff', message } };
    this.opts.onEvent('Warning', 'BackOff', `Back-off restarting failed container ${this.opts.name}`);
    this.opts.onChange();
    this.backoffTimer = setTimeout(() => {
      if (this.stopping) return;
      this.restartCount++;
      this.start();
    }, delay);
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? (os.constants.signals[signal] ?? 9) : 0;
}
