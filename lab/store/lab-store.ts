import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { privateDatabase } from '../../support/files/private-files';
import { resourceKey } from './resources';
import { type Matcher, parseFieldSelector, parseLabelSelector } from './selectors';
import { alreadyExists, conflict, gone, invalid, notFound } from './status-error';
import type { KubeObject, ListOptions, ResourceType, WatchEvent, WatchOptions, WriteOptions } from './types';
import { validateName } from './validate-name';

type Listener = (ev: WatchEvent) => void;
interface Watcher {
  key: string;
  namespace?: string;
  label: Matcher;
  field: Matcher;
  listener: Listener;
}

export interface LabStoreOptions {
  /** SQLite file; ':memory:' for a throwaway store. */
  file: string;
  /** How many past changes a watch can resume from (older → 410 Gone). */
  historySize?: number;
  /** Extra checks on every create/update; throw a StatusError (422) to refuse. */
  validate?: (rt: ResourceType, obj: KubeObject) => void;
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * The lab's durable object store: one SQLite database (WAL) holding every object and a bounded history of changes.
 * A write returns only after its transaction commits, so `kill -9` loses nothing acknowledged. resourceVersion is one
 * store-wide counter, as in etcd, and continues across restarts.
 */
export class LabStore {
  private readonly db: Database.Database;
  private rv: number;
  private readonly history: WatchEvent[] = [];
  private readonly historySize: number;
  private readonly watchers = new Set<Watcher>();
  private readonly validate?: (rt: ResourceType, obj: KubeObject) => void;
  private readonly stmts;

  constructor(opts: LabStoreOptions) {
    // The store holds Secrets: 0600 (SQLite gives -wal and -shm the database file's mode) in a 0700 folder.
    if (opts.file !== ':memory:') privateDatabase(opts.file);
    this.db = new Database(opts.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (rkey TEXT NOT NULL, ns TEXT NOT NULL, name TEXT NOT NULL, uid TEXT NOT NULL,
        rv INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (rkey, ns, name));
      CREATE INDEX IF NOT EXISTS objects_uid ON objects(uid);
      CREATE TABLE IF NOT EXISTS changes (rv INTEGER PRIMARY KEY, rkey TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL);
    `);
    this.historySize = opts.historySize ?? 10_000;
    this.validate = opts.validate;
    this.stmts = {
      get: this.db.prepare<[string, string, string], { body: string }>(
        'SELECT body FROM objects WHERE rkey = ? AND ns = ? AND name = ?',
      ),
      listAll: this.db.prepare<[string], { body: string }>(
        'SELECT body FROM objects WHERE rkey = ? ORDER BY ns, name',
      ),
      listNs: this.db.prepare<[string, string], { body: string }>(
        'SELECT body FROM objects WHERE rkey = ? AND ns = ? ORDER BY name',
      ),
      upsert: this.db.prepare(
        'INSERT INTO objects (rkey, ns, name, uid, rv, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (rkey, ns, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv, body = excluded.body',
      ),
      remove: this.db.prepare('DELETE FROM objects WHERE rkey = ? AND ns = ? AND name = ?'),
      change: this.db.prepare('INSERT INTO changes (rv, rkey, type, body) VALUES (?, ?, ?, ?)'),
      prune: this.db.prepare('DELETE FROM changes WHERE rv <= ?'),
      ownedBy: this.db.prepare<[string], { body: string; rkey: string }>(
        "SELECT o.rkey, o.body FROM objects o, json_each(o.body, '$.metadata.ownerReferences') r WHERE json_extract(r.value, '$.uid') = ?",
      ),
    };
    const maxRv = this.db
      .prepare<[], { m: number | null }>(
        'SELECT MAX(m) AS m FROM (SELECT MAX(rv) AS m FROM changes UNION SELECT MAX(rv) FROM objects)',
      )
      .get();
    this.rv = maxRv?.m ?? 0;
    const recent = this.db
      .prepare<[number], { rv: number; rkey: string; type: string; body: string }>(
        'SELECT rv, rkey, type, body FROM changes ORDER BY rv DESC LIMIT ?',
      )
      .all(this.historySize)
      .reverse();
    for (const c of recent) {
      this.history.push({
        type: c.type as WatchEvent['type'],
        object: JSON.parse(c.body) as KubeObject,
        rv: c.rv,
      });
      this.historyKeys.push(c.rkey);
    }
  }

  private readonly historyKeys: string[] = [];

  close(): void {
    this.watchers.clear();
    this.db.close();
  }

  /** The current store-wide resourceVersion. */
  currentResourceVersion(): string {
    return String(this.rv);
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const row = this.stmts.get.get(resourceKey(rt), rt.namespaced ? (namespace ?? '') : '', name);
    return row ? (JSON.parse(row.body) as KubeObject) : undefined;
  }

  mustGet(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.get(rt, namespace, name);
    if (!obj) throw notFound(rt.plural, rt.group, name);
    return obj;
  }

  list(rt: ResourceType, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const label = parseLabelSelector(opts.labelSelector);
    const field = parseFieldSelector(opts.fieldSelector);
    const rows =
      rt.namespaced && opts.namespace
        ? this.stmts.listNs.all(resourceKey(rt), opts.namespace)
        : this.stmts.listAll.all(resourceKey(rt));
    const items = rows.map((r) => JSON.parse(r.body) as KubeObject).filter((o) => label(o) && field(o));
    return { items, resourceVersion: String(this.rv) };
  }

  create(rt: ResourceType, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const obj = clone(input);
    const meta = obj.metadata ?? {};
    obj.metadata = meta;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    const name = meta.name ?? '';
    validateName(rt, name, 'metadata.name');
    if (rt.namespaced) {
      if (!meta.namespace)
        throw invalid(rt.kind, name, [{ field: 'metadata.namespace', message: 'Required value' }]);
      if (!this.get({ ...NAMESPACES }, undefined, meta.namespace))
        throw notFound('namespaces', '', meta.namespace);
    } else delete meta.namespace;
    if (this.get(rt, meta.namespace, name)) throw alreadyExists(rt.plural, rt.group, name);
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (rt.hasSpec) meta.generation = 1;
    else delete meta.generation;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    // Like the real API server: with a status subresource, create ignores the status sent.
    if (rt.subresources.includes('status')) delete obj.status;
    this.validate?.(rt, obj);
    if (opts.dryRun) return { ...obj, metadata: { ...meta, resourceVersion: String(this.rv) } };
    return this.commit(rt, 'ADDED', obj);
  }

  /** PUT semantics: optimistic concurrency on metadata.resourceVersion; `status` subresource changes only status. */
  update(rt: ResourceType, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const name = input.metadata?.name ?? '';
    const current = this.mustGet(rt, input.metadata?.namespace, name);
    const sentRv = input.metadata?.resourceVersion;
    if (sentRv && sentRv !== current.metadata.resourceVersion) throw conflict(rt.plural, rt.group, name);
    let next: KubeObject;
    if (opts.subresource === 'status') {
      next = clone(current);
      if (input.status === undefined) delete next.status;
      else next.status = clone(input.status);
    } else {
      next = clone(input);
      const statusIsSeparate = rt.subresources.includes('status');
      if (statusIsSeparate) {
        if (current.status === undefined) delete next.status;
        else next.status = clone(current.status);
      }
      next.metadata = {
        ...next.metadata,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        namespace: current.metadata.namespace,
        name: current.metadata.name,
      };
      if (!rt.namespaced) delete next.metadata.namespace;
      if (rt.hasSpec) {
        const gen = current.metadata.generation ?? 1;
        const specChanged = !isDeepStrictEqual(specOf(current), specOf(next));
        next.metadata.generation = specChanged ? gen + 1 : gen;
      }
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (isDeepStrictEqual(next, current)) return current;
    this.validate?.(rt, next);
    if (opts.dryRun) return next;
    return this.commit(rt, 'MODIFIED', next);
  }

  /** Read-modify-write (the store is synchronous, so nothing can write in between): how controllers change objects. */
  mutate(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    change: (obj: KubeObject) => KubeObject | undefined,
    opts: WriteOptions = {},
  ): KubeObject {
    const current = this.mustGet(rt, namespace, name);
    const next = change(clone(current));
    if (!next) return current;
    return this.update(rt, next, opts);
  }

  delete(rt: ResourceType, namespace: string | undefined, name: string, opts: WriteOptions = {}): KubeObject {
    const current = this.mustGet(rt, namespace, name);
    if (opts.dryRun) return current;
    const deleted = this.remove(rt, current);
    if (opts.propagationPolicy !== 'Orphan') this.cascade(current);
    return deleted;
  }

  /**
   * Watch changes. Without a resourceVersion the current objects arrive first as ADDED. With one older than the kept
   * history, throws 410 Gone (the client relists). Returns the function that stops the watch.
   */
  watch(rt: ResourceType, opts: WatchOptions, listener: Listener): () => void {
    const w: Watcher = {
      key: resourceKey(rt),
      namespace: rt.namespaced ? opts.namespace : undefined,
      label: parseLabelSelector(opts.labelSelector),
      field: parseFieldSelector(opts.fieldSelector),
      listener,
    };
    const from =
      opts.resourceVersion && opts.resourceVersion !== '0' ? Number(opts.resourceVersion) : undefined;
    const backlog: WatchEvent[] = [];
    if (from === undefined) {
      for (const o of this.list(rt, opts).items) backlog.push({ type: 'ADDED', object: o, rv: this.rv });
    } else {
      if (!Number.isFinite(from)) throw gone(`invalid resourceVersion "${opts.resourceVersion}"`);
      const oldest = this.history[0]?.rv ?? this.rv + 1;
      if (from < oldest - 1 && from < this.rv)
        throw gone(`too old resource version: ${from} (${oldest - 1})`);
      for (let i = 0; i < this.history.length; i++) {
        const ev = this.history[i];
        if (ev && ev.rv > from && this.historyKeys[i] === w.key && this.matches(w, ev.object))
          backlog.push(ev);
      }
    }
    for (const ev of backlog) listener(ev);
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  private matches(w: Watcher, obj: KubeObject): boolean {
    if (w.namespace && obj.metadata.namespace !== w.namespace) return false;
    return w.label(obj) && w.field(obj);
  }

  private commit(rt: ResourceType, type: 'ADDED' | 'MODIFIED', obj: KubeObject): KubeObject {
    const key = resourceKey(rt);
    const rv = this.rv + 1;
    obj.metadata.resourceVersion = String(rv);
    const body = JSON.stringify(obj);
    this.db.transaction(() => {
      this.stmts.upsert.run(key, obj.metadata.namespace ?? '', obj.metadata.name, obj.metadata.uid, rv, body);
      this.stmts.change.run(rv, key, type, body);
    })();
    this.rv = rv;
    this.publish(key, { type, object: obj, rv });
    return clone(obj);
  }

  private remove(rt: ResourceType, current: KubeObject): KubeObject {
    const key = resourceKey(rt);
    const rv = this.rv + 1;
    const obj = clone(current);
    obj.metadata.resourceVersion = String(rv);
    const body = JSON.stringify(obj);
    this.db.transaction(() => {
      this.stmts.remove.run(key, obj.metadata.namespace ?? '', obj.metadata.name);
      this.stmts.change.run(rv, key, 'DELETED', body);
    })();
    this.rv = rv;
    this.publish(key, { type: 'DELETED', object: obj, rv });
    return obj;
  }

  /** Background cascade: objects owned by a deleted one go too (and namespaces take their contents). */
  private cascade(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    if (uid) {
      for (const row of this.stmts.ownedBy.all(uid)) {
        const child = JSON.parse(row.body) as KubeObject;
        const crt = rtByKey(row.rkey);
        if (crt && this.get(crt, child.metadata.namespace, child.metadata.name ?? '')) {
          this.delete(crt, child.metadata.namespace, child.metadata.name ?? '');
        }
      }
    }
    if (owner.kind === 'Namespace') {
      for (const row of this.db
        .prepare<[string], { rkey: string; body: string }>('SELECT rkey, body FROM objects WHERE ns = ?')
        .all(owner.metadata.name ?? '')) {
        const crt = rtByKey(row.rkey);
        const child = JSON.parse(row.body) as KubeObject;
        if (crt && this.get(crt, child.metadata.namespace, child.metadata.name ?? '')) {
          this.delete(crt, child.metadata.namespace, child.metadata.name ?? '');
        }
      }
    }
  }

  private publish(key: string, ev: WatchEvent): void {
    this.history.push(ev);
    this.historyKeys.push(key);
    if (this.history.length > this.historySize * 1.1) {
      const drop = this.history.length - this.historySize;
      this.history.splice(0, drop);
      this.historyKeys.splice(0, drop);
      const oldest = this.history[0]?.rv;
      if (oldest !== undefined) this.stmts.prune.run(oldest - 1);
    }
    for (const w of this.watchers) {
      if (w.key === key && this.matches(w, ev.object)) {
        try {
          w.listener(ev);
        } catch {
          this.watchers.delete(w);
        }
      }
    }
  }
}

import { RESOURCES } from './resources';

const NAMESPACES = RESOURCES.find((r) => r.plural === 'namespaces') as ResourceType;

function rtByKey(key: string): ResourceType | undefined {
  return RESOURCES.find((r) => resourceKey(r) === key);
}

function specOf(o: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

function randomSuffix(): string {
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}
