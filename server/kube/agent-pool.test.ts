import net from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from './client';
import { kubeGetJson } from './raw-request';
import { create, type LabKube, startLabKube } from './testing/lab-kube';

/**
 * A TCP forwarder in front of the lab's API server that counts the connections clients open: every new connection is
 * a TCP connect plus a full TLS handshake on the API server.
 */
async function countingForwarder(
  target: number,
): Promise<{ port: number; count(): number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    count: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let k: LabKube;
let fwd: Awaited<ReturnType<typeof countingForwarder>>;
let kc: KubeConfig;

beforeAll(async () => {
  k = await startLabKube();
  create(k.lab, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  fwd = await countingForwarder(k.lab.server.port);
  kc = new KubeConfig();
  kc.loadFromFile(k.lab.kubeconfig);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('lab kubeconfig has no cluster');
  // same CA, certificate and token; only the address is the forwarder's (the lab's certificate names 127.0.0.1)
  kc.clusters = kc.clusters.map((c) =>
    c.name === cluster.name ? { ...c, server: `https://127.0.0.1:${fwd.port}` } : c,
  );
});
afterAll(async () => {
  await fwd?.close();
  await k?.close();
});

const READS = 8;

describe('connections to the API server (real lab over HTTPS, real client-node)', () => {
  it('client-node alone opens one connection per request (the cost the pool removes)', async () => {
    const before = fwd.count();
    const core = kc.makeApiClient(CoreV1Api);
    for (let i = 0; i < READS; i++) await core.readNamespace({ name: 'demo' });
    expect(fwd.count() - before).toBe(READS);
  });

  it('the control center’s clients and raw reads share one kept-alive connection', async () => {
    const before = fwd.count();
    const { core } = clientsFor(kc);
    for (let i = 0; i < READS; i++) {
      const ns = await core.readNamespace({ name: 'demo' });
      expect(ns.metadata?.name).toBe('demo');
      const raw = (await kubeGetJson(kc, '/api/v1/namespaces/demo')) as { metadata?: { name?: string } };
      expect(raw.metadata?.name).toBe('demo');
    }
    expect(fwd.count() - before).toBe(1);
  });

  it('still authenticates every request: a wrong token is refused on the pooled connection', async () => {
    const bad = new KubeConfig();
    bad.loadFromString(kc.exportConfig());
    bad.users = bad.users.map((u) => ({ ...u, token: 'not-the-token' }));
    await expect(kubeGetJson(bad, '/api/v1/namespaces/demo')).rejects.toMatchObject({ code: 401 });
    const ok = (await kubeGetJson(kc, '/api/v1/namespaces/demo')) as { metadata?: { name?: string } };
    expect(ok.metadata?.name).toBe('demo');
  });
});
