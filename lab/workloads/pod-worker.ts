import path from 'node:path';
import { recordEvent } from '../runtime/events';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { killStale } from './child-process';
import { ContainerRunner, type ContainerState, type RestartPolicy } from './container-runner';
import { droppedEnvMessage, filterPodEnv } from './env-policy';
import { type LabImage, parseImage } from './image';
import { nowIso } from './owner';
import { type ContainerSpec, containerEnv } from './pod-env';
import { buildPodStatus, ConditionClock } from './pod-status';
import { type PodVolume, podVolumes, removePodVolumes, syncVolume } from './pod-volumes';
import { allocatePort, releasePort } from './ports';

const PODS = resource('pods');

/** The pod annotation holding the port its (first) webapp container listens on; the gateway reads it. */
export const PORT_ANNOTATION = 'lab.rollouts.io/port';
/** The pod annotation holding the pids of its processes (so a lab that crashed can kill leftovers). */
export const PIDS_ANNOTATION = 'lab.rollouts.io/pids';

export interface PodWorkerContext {
  store: LabStore;
  dir: string;
  host: string;
  webappEntry: string;
  loadgenEntry: string;
  probeIntervalMs?: number;
}

interface PrevContainerStatus {
  name: string;
  restartCount?: number;
  state?: Record<string, unknown>;
  lastState?: ContainerState;
}

/** Runs one pod: its volumes, one process per container, and its status in the store. */
export class PodWorker {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  private readonly clock: ConditionClock;
  private readonly volumes: PodVolume[];
  private readonly startTime: string;
  private runners: ContainerRunner[] = [];
  private unavailable: Array<{ name: string; image: string }> = [];
  private ports: number[] = [];
  private terminating = false;
  private detached = false;
  private statusQueued = false;

  constructor(
    private readonly ctx: PodWorkerContext,
    private readonly pod: KubeObject,
  ) {
    this.uid = pod.metadata.uid ?? '';
    this.namespace = pod.metadata.namespace ?? '';
    this.name = pod.metadata.name ?? '';
    const prev = pod.status as { conditions?: []; startTime?: string } | undefined;
    this.clock = new ConditionClock(prev?.conditions);
    this.startTime = prev?.startTime ?? nowIso();
    this.volumes = podVolumes(ctx.dir, pod);
  }

  async start(): Promise<void> {
    const { pod, ctx } = this;
    const spec = (pod.spec ?? {}) as { containers?: ContainerSpec[]; restartPolicy?: RestartPolicy };
    const containers = spec.containers ?? [];
    const prevStatus = pod.status as { containerStatuses?: PrevContainerStatus[] } | undefined;
    const previous = prevStatus?.containerStatuses ?? [];
    const resumed = previous.some(
      (c) => c.state?.running || c.state?.terminated || (c.restartCount ?? 0) > 0,
    );
    if (!previous.length)
      this.event('Normal', 'Scheduled', `Successfully assigned ${this.namespace}/${this.name} to lab`);
    for (const pid of (pod.metadata.annotations?.[PIDS_ANNOTATION] ?? '').split(',').filter(Boolean))
      killStale(Number(pid), ctx.webappEntry);
    const images = containers.map((c) => parseImage(c.image));
    this.unavailable = containers
      .filter((_, i) => !images[i])
      .map((c) => ({ name: c.name, image: c.image ?? '' }));
    if (this.unavailable.length) {
      for (const c of this.unavailable)
        this.event('Warning', 'Failed', `Failed to pull image "${c.image}": image not available in the lab`);
      this.queueStatus();
      return;
    }
    const asked = ((pod.spec as { volumes?: Array<{ name?: unknown }> } | undefined)?.volumes ?? []).map(
      (v) => String(v.name),
    );
    for (const name of asked.filter((n) => !this.volumes.some((v) => v.name === n)))
      this.event(
        'Warning',
        'FailedMount',
        `MountVolume.SetUp failed for volume ${JSON.stringify(name)}: the name is not a DNS-1123 label inside the pod's volume folder`,
      );
    for (const vol of this.volumes) syncVolume(ctx.store, this.namespace, vol);
    const policy = spec.restartPolicy ?? 'Always';
    const preferred = Number(pod.metadata.annotations?.[PORT_ANNOTATION]) || undefined;
    const runners: ContainerRunner[] = [];
    for (const [i, c] of containers.entries()) {
      const image = images[i] as LabImage;
      const port =
        image.app === 'webapp'
          ? await allocatePort(ctx.host, this.ports.length ? undefined : preferred)
          : undefined;
      if (port) this.ports.push(port);
      if (this.terminating) return this.releasePorts();
      const prev = previous.find((p) => p.name === c.name);
      const wasStarted = Boolean(prev?.state?.running || prev?.state?.terminated);
      runners.push(this.runner(c, image, policy, port, prev, resumed && wasStarted));
    }
    this.runners = runners;
    if (this.ports[0]) this.annotate({ [PORT_ANNOTATION]: String(this.ports[0]) });
    const lost = resumed && policy === 'Never';
    for (const r of runners) {
      if (lost) r.markLost('LabRestarted');
      else r.start();
    }
    this.queueStatus();
  }

  mountsConfigMap(name: string): boolean {
    return this.volumes.some((v) => v.source.kind === 'configMap' && v.source.name === name);
  }

  mountsSecret(name: string): boolean {
    return this.volumes.some((v) => v.source.kind === 'secret' && v.source.name === name);
  }

  resyncVolumes(): void {
    if (this.terminating) return;
    for (const vol of this.volumes) syncVolume(this.ctx.store, this.namespace, vol);
  }

  /**
   * Pod deletion: Ready turns false (written to the store first, when the pod is still there), then every process
   * gets SIGTERM and SIGKILL after `graceMs`. `detach` = lab shutdown: no more store writes, volumes kept.
   */
  async terminate(graceMs: number, opts: { detach: boolean }): Promise<void> {
    if (opts.detach) this.detached = true;
    this.terminating = true;
    for (const r of this.runners) r.ready = false;
    if (!opts.detach) {
      this.writeStatus();
      if (this.runners.some((r) => r.running))
        this.event('Normal', 'Killing', `Stopping container ${this.runners.map((r) => r.name).join(', ')}`);
    }
    await Promise.all(this.runners.map((r) => r.stop(graceMs)));
    this.releasePorts();
    if (!opts.detach) removePodVolumes(this.ctx.dir, this.namespace, this.name);
    this.detached = true;
  }

  private runner(
    c: ContainerSpec,
    image: LabImage,
    policy: RestartPolicy,
    port: number | undefined,
    prev: PrevContainerStatus | undefined,
    resumed: boolean,
  ): ContainerRunner {
    const { ctx } = this;
    const entry = image.app === 'webapp' ? ctx.webappEntry : ctx.loadgenEntry;
    const { env, dropped } = filterPodEnv(
      containerEnv({
        store: ctx.store,
        pod: this.pod,
        container: c,
        image,
        volumes: this.volumes,
        host: ctx.host,
        port,
      }),
    );
    if (dropped.length) this.event('Warning', 'PolicyViolation', droppedEnvMessage(c.name, dropped));
    const probePath = c.readinessProbe?.httpGet?.path ?? '/readyz';
    return new ContainerRunner({
      name: c.name,
      image: c.image ?? '',
      restartPolicy: policy,
      restartCount: (prev?.restartCount ?? 0) + (resumed ? 1 : 0),
      lastState: resumed ? lostState(prev) : prev?.lastState,
      readinessUrl: port ? `http://${ctx.host}:${port}${probePath}` : undefined,
      probeIntervalMs: ctx.probeIntervalMs,
      failureThreshold: c.readinessProbe?.failureThreshold,
      spawnSpec: {
        command: process.execPath,
        args: [entry, ...(image.app === 'loadgen' ? (c.args ?? []) : [])],
        env,
        cwd: path.dirname(entry),
        logFile: path.join(ctx.dir, 'logs', this.namespace, this.name, `${c.name}.log`),
      },
      onChange: () => this.queueStatus(),
      onEvent: (type, reason, message) => this.event(type, reason, message),
      onStarted: () => this.annotate({ [PIDS_ANNOTATION]: this.pids() }),
    });
  }

  private pids(): string {
    return this.runners
      .map((r) => r.pid)
      .filter(Boolean)
      .join(',');
  }

  private releasePorts(): void {
    for (const p of this.ports) releasePort(p);
    this.ports = [];
  }

  private queueStatus(): void {
    if (this.statusQueued || this.detached) return;
    this.statusQueued = true;
    setImmediate(() => {
      this.statusQueued = false;
      this.writeStatus();
    });
  }

  private writeStatus(): void {
    if (this.detached) return;
    const status = buildPodStatus(
      {
        containers: this.runners,
        unavailable: this.unavailable,
        terminating: this.terminating,
        startTime: this.startTime,
        host: this.ctx.host,
      },
      this.clock,
    );
    this.mutate((p) => ({ ...p, status }), true);
  }

  private annotate(annotations: Record<string, string>): void {
    if (this.detached) return;
    this.mutate((p) => ({
      ...p,
      metadata: { ...p.metadata, annotations: { ...p.metadata.annotations, ...annotations } },
    }));
  }

  private mutate(change: (p: KubeObject) => KubeObject, status = false): void {
    try {
      const current = this.ctx.store.get(PODS, this.namespace, this.name);
      if (!current || current.metadata.uid !== this.uid) return;
      this.ctx.store.update(PODS, change(current), status ? { subresource: 'status' } : {});
    } catch (err) {
      if (!this.detached) console.error(`[lab pods] ${this.namespace}/${this.name}:`, (err as Error).message);
    }
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (!this.detached)
      recordEvent(
        this.ctx.store,
        this.pod,
        { eventType: type, reason: reason, message: message },
        Date.now(),
        { component: 'kubelet', host: 'lab' },
      );
  }
}

function lostState(prev: PrevContainerStatus | undefined): ContainerState {
  const running = prev?.state?.running as { startedAt?: string } | undefined;
  return {
    terminated: {
      exitCode: 137,
      reason: 'LabRestarted',
      startedAt: running?.startedAt,
      finishedAt: nowIso(),
      message: 'the lab restarted while the container ran',
    },
  };
}
