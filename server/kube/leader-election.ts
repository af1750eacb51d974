import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type CoordinationV1Api, type V1Lease, type V1LeaseSpec, V1MicroTime } from '@kubernetes/client-node';

/**
 * Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics (tools/leaderelection,
 * tryAcquireOrRenew): a holder is believed for leaseDurationSeconds of LOCAL time after its record was last seen to
 * change (never its renewTime: clocks differ between machines); a new holder bumps leaseTransitions; the leader renews
 * every retry period and stops acting as leader once renewDeadline passes without a successful renew; stop() releases
 * the Lease (holder '' and a 1 s duration) so a standby takes over at once.
 */

/** The leader election record kept in a Lease's spec (times as the API server writes them: UTC, six digits). */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

/** What an elector last saw: the record, a key of its content, and the LOCAL monotonic time it was seen to change. */
export interface Observed {
  record: LeaseRecord;
  key: string;
  time: number;
}

/**
 * One reading of both clocks: `wall` (ms since the epoch) only for the Lease's own timestamps, `mono` (a monotonic ms
 * count, performance.now()) for every local duration and deadline, as client-go does: a wall clock stepped back must
 * not stretch a lease or a renew deadline. A bare number stands for both (tests on one fake clock).
 */
export interface Instant {
  wall: number;
  mono: number;
}

export interface ElectorClock {
  wall(): number;
  mono(): number;
}

export const systemClock: ElectorClock = { wall: () => Date.now(), mono: () => performance.now() };

const instant = (t: number | Instant): Instant => (typeof t === 'number' ? { wall: t, mono: t } : t);

export interface DecideConfig {
  identity: string;
  leaseDurationSeconds: number;
}

export type Decision =
  | { action: 'create' | 'update'; record: LeaseRecord; observed: Observed | undefined }
  | { action: 'wait'; holder: string; observed: Observed };

/** A MicroTime as the API server writes it: UTC, six fraction digits. */
export function microTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000Z`;
}

const keyOf = (r: LeaseRecord): string =>
  JSON.stringify([r.holderIdentity, r.leaseDurationSeconds, r.acquireTime, r.renewTime, r.leaseTransitions]);

/**
 * One round of tryAcquireOrRenew after the GET (`current` null = 404). Pure: `at` is the elector's clocks. The caller
 * writes `record` (create, or update with the GET's resourceVersion) and, on success, calls `observedAfterWrite`.
 */
export function decide(
  current: LeaseRecord | null,
  observed: Observed | undefined,
  at: number | Instant,
  cfg: DecideConfig,
): Decision {
  const { wall, mono } = instant(at);
  const fresh: LeaseRecord = {
    holderIdentity: cfg.identity,
    leaseDurationSeconds: cfg.leaseDurationSeconds,
    acquireTime: microTime(wall),
    renewTime: microTime(wall),
    leaseTransitions: 0,
  };
  if (!current) return { action: 'create', record: fresh, observed };
  const key = keyOf(current);
  const seen = observed && observed.key === key ? observed : { record: current, key, time: mono };
  const isLeader = seen.record.holderIdentity === cfg.identity;
  const valid = seen.time + seen.record.leaseDurationSeconds * 1000 > mono;
  if (seen.record.holderIdentity !== '' && valid && !isLeader)
    return { action: 'wait', holder: seen.record.holderIdentity, observed: seen };
  const record: LeaseRecord = isLeader
    ? { ...fresh, acquireTime: current.acquireTime, leaseTransitions: current.leaseTransitions }
    : { ...fresh, leaseTransitions: current.leaseTransitions + 1 };
  return { action: 'update', record, observed: seen };
}

/** The record client-go's release() writes: no holder, a one-second lease, the transitions kept. */
export function releasedRecord(observed: LeaseRecord, now: number): LeaseRecord {
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: microTime(now),
    renewTime: microTime(now),
    leaseTransitions: observed.leaseTransitions,
  };
}

/** `mono`: the monotonic time the write answered. */
export function observedAfterWrite(record: LeaseRecord, mono: number): Observed {
  return { record, key: keyOf(record), time: mono };
}

/** A MicroTime string as read (client-node leaves it a string): parsed to ms, undefined when absent or unparsable. */
export function parseMicroTime(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Sends the exact text read from the server (a plain Date would lose the microseconds and be refused). */
class ExactMicroTime extends V1MicroTime {
  constructor(private readonly text: string) {
    super(text);
  }
  override toISOString(): string {
    return this.text;
  }
}

const sendTime = (t: string | undefined): V1MicroTime | undefined =>
  t === undefined ? undefined : new ExactMicroTime(t);

/** The record in a Lease (LeaseSpecToLeaderElectionRecord): absent fields are Go's zero values. */
export function recordOf(lease: V1Lease): LeaseRecord {
  const s: V1LeaseSpec = lease.spec ?? {};
  const time = (v: unknown) =>
    typeof v === 'string' ? v : v instanceof Date ? microTime(v.getTime()) : undefined;
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: time(s.acquireTime),
    renewTime: time(s.renewTime),
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}

/** The Lease spec of a record (LeaderElectionRecordToLeaseSpec), MicroTimes sent with six digits. */
export function specOf(r: LeaseRecord): V1LeaseSpec {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: sendTime(r.acquireTime),
    renewTime: sendTime(r.renewTime),
    leaseTransitions: r.leaseTransitions,
  };
}

export interface ElectorConfig {
  namespace: string;
  leaseName: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  /** wait.JitterUntil's factor for a candidate's retries (client-go: 1.2). */
  jitterFactor?: number;
}

export const ELECTION_DEFAULTS = {
  leaseDurationSeconds: 15,
  renewDeadlineSeconds: 10,
  retryPeriodSeconds: 2,
  jitterFactor: 1.2,
} as const;

/** The elector's identity: the pod name when set (downward API), else host-pid-random. */
export function electorIdentity(env: Record<string, string | undefined> = process.env): string {
  return env.POD_NAME || `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export type LeaseApi = Pick<
  CoordinationV1Api,
  'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease'
>;

export interface ElectorHooks {
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  /** Called when the observed holder changes ('' = nobody). */
  onNewLeader?: (identity: string) => void;
  /** One line per failed round (409, 5xx, network, missing namespace). */
  onError?: (message: string) => void;
}

const statusOf = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
};
const errorText = (err: unknown): string => {
  const code = statusOf(err);
  const body = (err as { body?: unknown })?.body;
  let message = err instanceof Error ? err.message : String(err);
  if (typeof body === 'string') {
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? message;
    } catch {
      // not a Status
    }
  }
  return code ? `${code}: ${message}` : message;
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The election loop over CoordinationV1Api. `isLeader()` is what a writer checks right before each write. */
export class LeaderElector {
  private observed?: Observed;
  /** Monotonic start time of the last successful acquire/renew (the lease is ours for renewDeadline after it). */
  private lastRenew?: number;
  private leading = false;
  private stopped = false;
  private running?: Promise<void>;
  private wake?: () => void;
  private deadlineTimer?: NodeJS.Timeout;
  private holder?: string;
  private readonly cfg: Required<ElectorConfig>;

  constructor(
    private readonly api: LeaseApi,
    cfg: ElectorConfig,
    private readonly hooks: ElectorHooks = {},
    private readonly clock: ElectorClock = systemClock,
  ) {
    this.cfg = { jitterFactor: ELECTION_DEFAULTS.jitterFactor, ...cfg };
    if (
      !(
        cfg.leaseDurationSeconds > cfg.renewDeadlineSeconds &&
        cfg.renewDeadlineSeconds > cfg.retryPeriodSeconds
      )
    )
      throw new Error('leader election needs leaseDuration > renewDeadline > retryPeriod');
  }

  get identity(): string {
    return this.cfg.identity;
  }

  /** True while a renew succeeded less than renewDeadline ago (checked against the clock, not the loop). */
  isLeader(): boolean {
    return (
      this.leading &&
      this.lastRenew !== undefined &&
      this.clock.mono() < this.lastRenew + this.cfg.renewDeadlineSeconds * 1000
    );
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops the loop and, when leading, releases the Lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    const wasLeader = this.isLeader();
    this.lose();
    if (wasLeader) await this.release().catch((e) => this.hooks.onError?.(`release: ${errorText(e)}`));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const started = this.clock.mono();
      const ok = await this.tryAcquireOrRenew();
      if (this.stopped) break;
      if (ok) {
        this.lastRenew = started;
        this.armDeadline();
        if (!this.leading) {
          this.leading = true;
          this.hooks.onStartedLeading?.();
        }
      } else if (this.leading && (!this.isLeader() || (this.holder && this.holder !== this.cfg.identity)))
        this.lose();
      const period = this.cfg.retryPeriodSeconds * 1000;
      await this.sleep(this.leading ? period : period * (1 + Math.random() * this.cfg.jitterFactor));
    }
  }

  /** Stops acting as leader exactly when renewDeadline passes, even while a request hangs. */
  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    const left = (this.lastRenew ?? 0) + this.cfg.renewDeadlineSeconds * 1000 - this.clock.mono();
    this.deadlineTimer = setTimeout(
      () => {
        if (!this.isLeader()) this.lose();
      },
      Math.max(0, left),
    );
    this.deadlineTimer.unref?.();
  }

  private lose(): void {
    clearTimeout(this.deadlineTimer);
    if (!this.leading) return;
    this.leading = false;
    this.hooks.onStoppedLeading?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private noteHolder(holder: string): void {
    if (holder === this.holder) return;
    this.holder = holder;
    this.hooks.onNewLeader?.(holder);
  }

  private at(): Instant {
    return { wall: this.clock.wall(), mono: this.clock.mono() };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, leaseName: name } = this.cfg;
    const timeout = this.cfg.renewDeadlineSeconds * 1000;
    let current: V1Lease | null;
    try {
      current = await withTimeout(this.api.readNamespacedLease({ name, namespace }), timeout);
    } catch (err) {
      if (statusOf(err) !== 404) {
        this.hooks.onError?.(`get lease ${namespace}/${name}: ${errorText(err)}`);
        return false;
      }
      current = null;
    }
    // Seen now, after the GET answered: the conservative moment to start a holder's lease from.
    const d = decide(current ? recordOf(current) : null, this.observed, this.at(), this.cfg);
    if (d.observed) this.observed = d.observed;
    if (d.action === 'wait') {
      this.noteHolder(d.holder);
      return false;
    }
    try {
      const body: V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: current?.metadata ?? { name, namespace },
        spec: specOf(d.record),
      };
      const written = await withTimeout(
        current
          ? this.api.replaceNamespacedLease({ name, namespace, body })
          : this.api.createNamespacedLease({ namespace, body }),
        timeout,
      );
      this.observed = observedAfterWrite(recordOf(written), this.clock.mono());
      this.noteHolder(this.cfg.identity);
      return true;
    } catch (err) {
      this.hooks.onError?.(`${current ? 'update' : 'create'} lease ${namespace}/${name}: ${errorText(err)}`);
      return false;
    }
  }

  private async release(): Promise<void> {
    const { namespace, leaseName: name } = this.cfg;
    const timeout = this.cfg.renewDeadlineSeconds * 1000;
    const current = await withTimeout(this.api.readNamespacedLease({ name, namespace }), timeout);
    if ((current.spec?.holderIdentity ?? '') !== this.cfg.identity) return;
    const record = releasedRecord(recordOf(current), this.clock.wall());
    const written = await withTimeout(
      this.api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...current, spec: specOf(record) },
      }),
      timeout,
    );
    this.observed = observedAfterWrite(recordOf(written), this.clock.mono());
  }
}
