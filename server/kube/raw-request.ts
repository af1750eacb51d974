import 'server-only';
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { pooledAgent } from './agent-pool';

/** An HTTP error from the API server, shaped like client-node's ApiException (`code` + `body`). */
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}`);
    this.name = 'KubeHttpError';
  }
}

/**
 * A GET of a raw JSON path on the cluster with the KubeConfig's TLS and credentials (client-node's
 * applyToHTTPSOptions) over a pooled keep-alive connection (agent-pool.ts). Lists come back as plain JSON, without client-node's model deserialization (which turns
 * timestamps into Date objects), so the informer cache holds exactly what the API server sent.
 */
export async function kubeGetJson(
  kc: KubeConfig,
  path: string,
  query: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
): Promise<unknown> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster in the kubeconfig');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  opts.agent = pooledAgent(opts.agent);
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { ...opts, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) return reject(new KubeHttpError(status, text));
        try {
          resolve(JSON.parse(text) as unknown);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
