import 'server-only';
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { KubeObject } from '@/lib/rollout/kube-types';
import { kubeErrorMessage } from './client';
import { collectionPath, type KindSpec } from './kinds';
import { type InformerEvent, ObjectCache } from './object-cache';
import { kubeGetJson } from './raw-request';

export type { InformerEvent, InformerEventType } from './object-cache';

export interface InformerState {
  /** The cache has been filled by a list at least once. */
  synced: boolean;
  /** The last list or watch succeeded (false while the API server is unreachable). */
  connected: boolean;
  /** False when the API server does not serve the kind (e.g. Istio not installed): not an outage. */
  available: boolean;
  lastError: string | null;
  lastSyncAt: string | null;
  relists: number;
}
export interface InformerOptions {
  /** First retry delay after an error (ms, default 500), doubled up to `maxBackoffMs` (default 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Watch timeoutSeconds sent to the server (default 300). */
  watchTimeoutSeconds?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
const statusOf = (err: unknown): number | undefined => {
  const e = err as { statusCode?: unknown; code?: unknown };
  return typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
};
class Expired extends Error {}

/**
 * One list+watch of a kind, across all namespaces or in one (`namespace`): a cache, change listeners, relist on
 * 410/errors with backoff.
 */
export class Informer {
  private readonly cache: ObjectCache;
  private rv = '';
  private readonly stateListeners = new Set<() => void>();
  private abort = new AbortController();
  private watchCtl: AbortController | undefined;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private st: InformerState = {
    synced: false,
    connected: false,
    available: true,
    lastError: null,
    lastSyncAt: null,
    relists: 0,
  };

  private readonly path: string;

  constructor(
    readonly spec: KindSpec,
    private readonly kc: KubeConfig,
    private readonly opts: InformerOptions = {},
    readonly namespace?: string,
  ) {
    this.cache = new ObjectCache(spec);
    this.path = collectionPath(spec, namespace);
  }

  get state(): InformerState {
    return { ...this.st };
  }
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loopDone = this.loop();
  }
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.watchCtl?.abort();
    await this.loopDone;
  }
  list(namespace?: string): KubeObject[] {
    return this.cache.list(namespace);
  }
  get(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(namespace, name);
  }
  subscribe(fn: (ev: InformerEvent) => void): () => void {
    return this.cache.subscribe(fn);
  }
  onState(fn: () => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  private setState(patch: Partial<InformerState>): void {
    const next = { ...this.st, ...patch };
    const changed = (Object.keys(patch) as Array<keyof InformerState>).some((k) => next[k] !== this.st[k]);
    this.st = next;
    if (changed) for (const fn of this.stateListeners) fn();
  }

  private async loop(): Promise<void> {
    let backoff = this.opts.backoffMs ?? 500;
    const max = this.opts.maxBackoffMs ?? 30_000;
    const signal = this.abort.signal;
    while (this.running) {
      try {
        if (!this.rv) await this.relist();
        const started = Date.now();
        await this.watchOnce();
        // A clean end (server timeout, bookmark-less close): watch again from the last resourceVersion.
        if (Date.now() - started > 1000) backoff = this.opts.backoffMs ?? 500;
        else await sleep(backoff, signal);
      } catch (err) {
        if (!this.running) break;
        this.rv = '';
        if (err instanceof Expired) continue;
        const status = statusOf(err);
        if (status === 404) {
          this.setState({ available: false, connected: true, synced: true, lastError: null });
          await sleep(60_000, signal);
          continue;
        }
        this.setState({ connected: false, lastError: `${this.spec.k8sKind}: ${kubeErrorMessage(err)}` });
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, max);
      }
    }
  }

  private async relist(): Promise<void> {
    const list = (await kubeGetJson(this.kc, this.path, { fieldSelector: this.spec.fieldSelector })) as {
      items?: KubeObject[];
      metadata?: { resourceVersion?: string };
    };
    this.cache.replace(list.items ?? []);
    this.rv = list.metadata?.resourceVersion ?? '';
    this.setState({
      synced: true,
      connected: true,
      available: true,
      lastError: null,
      lastSyncAt: new Date().toISOString(),
      relists: this.st.relists + 1,
    });
  }

  private watchOnce(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let expired = false;
      // A watch the server should have ended by now (a half-open connection): give up on it and relist.
      const limitMs = ((this.opts.watchTimeoutSeconds ?? 300) + 30) * 1000;
      const watchdog = setTimeout(() => this.watchCtl?.abort(), limitMs);
      const onEvent = (type: string, raw: unknown) => {
        const obj = raw as KubeObject & { code?: number; message?: string };
        if (type === 'ERROR') {
          if (obj.code === 410) expired = true;
          else reject(Object.assign(new Error(obj.message ?? 'watch error'), { code: obj.code }));
          this.watchCtl?.abort();
          return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.rv = rv;
        if (type === 'BOOKMARK') return;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.cache.apply(type, obj);
      };
      const onDone = (err: unknown) => {
        clearTimeout(watchdog);
        this.watchCtl = undefined;
        if (expired) reject(new Expired());
        else if (err && this.running) reject(err);
        else resolve();
      };
      const query: Record<string, string | number | boolean> = {
        resourceVersion: this.rv,
        allowWatchBookmarks: true,
        timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
      };
      if (this.spec.fieldSelector) query.fieldSelector = this.spec.fieldSelector;
      new Watch(this.kc).watch(this.path, query, onEvent, onDone).then(
        (ctl) => {
          if (!this.running) ctl.abort();
          else this.watchCtl = ctl;
        },
        (err: unknown) => {
          clearTimeout(watchdog);
          reject(err);
        },
      );
    });
  }
}
