import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list, type Obj } from './kube-objects';
import { LabProcess } from './lab-process';
import { waitFor } from './wait';
import { WatchStream } from './watch-stream';

const CMS = '/api/v1/namespaces/burst/configmaps';
const WORKERS = 24;
const PER_WORKER = 150;
const KILL_AFTER_ACKS = 400;

let lab: LabProcess;
const watches: WatchStream[] = [];

beforeAll(async () => {
  lab = await LabProcess.start();
});

afterAll(async () => {
  for (const w of watches) w.close();
  await lab?.stop();
});

const rvOf = (o: Obj) => Number(o.metadata.resourceVersion);

describe('durability of the lab program', () => {
  it('kill -9 during a write burst: every acknowledged create survives, resourceVersions continue, a watch resumes', async () => {
    const ns = await lab.api('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'burst' } },
    });
    expect(ns.status).toBe(201);
    const before = new WatchStream(lab, CMS);
    watches.push(before);
    expect(await before.opened).toBe(200);

    // Many concurrent creates over HTTPS; each 201 is recorded with its resourceVersion.
    const acked = new Map<string, number>();
    let sent = 0;
    let other = 0;
    const deadline = Date.now() + 30_000;
    const worker = async (w: number) => {
      for (let i = 0; i < PER_WORKER && Date.now() < deadline; i++) {
        const name = `cm-${w}-${i}`;
        sent++;
        try {
          const r = await lab.api('POST', CMS, {
            body: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name },
              data: { w: String(w), i: String(i) },
            },
            timeoutMs: 5000,
          });
          if (r.status === 201) acked.set(name, rvOf(r.json as Obj));
          else other++;
        } catch {
          return; // the lab is gone: this worker stops
        }
      }
    };
    const burst = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    await waitFor(`${KILL_AFTER_ACKS} acknowledged creates`, () => acked.size >= KILL_AFTER_ACKS, 30_000, 5);
    await lab.killNine();
    await burst;
    expect(other).toBe(0);
    expect(acked.size).toBeLessThan(WORKERS * PER_WORKER); // killed mid-burst, not after it
    const lastSeen = Math.max(0, ...before.events.map((e) => rvOf(e.object)));
    const maxAcked = Math.max(...acked.values());
    console.log(
      `burst: ${sent} sent, ${acked.size} acknowledged (max rv ${maxAcked}), watch saw ${before.events.length} (last rv ${lastSeen}) before kill -9`,
    );

    await lab.launch();
    const items = await list(lab, CMS);
    const stored = new Map(items.map((o) => [o.metadata.name, rvOf(o)]));
    const missing = [...acked.keys()].filter((n) => stored.get(n) !== acked.get(n));
    expect(missing).toEqual([]);
    expect(stored.size).toBeLessThanOrEqual(sent);
    console.log(
      `after restart: ${stored.size} stored (${stored.size - acked.size} in flight at the kill also made it)`,
    );

    const listed = await lab.api('GET', CMS);
    const listRv = Number(
      (listed.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion,
    );
    expect(listRv).toBeGreaterThanOrEqual(Math.max(...stored.values()));

    // A watch from the last resourceVersion the first watch saw resumes: nothing lost, nothing twice.
    const resumed = new WatchStream(lab, `${CMS}?resourceVersion=${lastSeen}`);
    watches.push(resumed);
    expect(await resumed.opened).toBe(200);
    const created = await lab.api('POST', CMS, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } },
    });
    expect(created.status).toBe(201);
    const afterRv = rvOf(created.json as Obj);
    expect(afterRv).toBeGreaterThan(listRv);
    await resumed.next((e) => e.object.metadata.name === 'after-restart', 10_000);

    const rvs = resumed.events.map((e) => rvOf(e.object));
    expect(rvs.every((rv) => rv > lastSeen)).toBe(true);
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(resumed.events.every((e) => e.type === 'ADDED')).toBe(true);
    const seen = [...before.events, ...resumed.events].map((e) => e.object.metadata.name);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set([...stored.keys(), 'after-restart']));
  });
});
