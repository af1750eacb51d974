/** Test support: a throwaway lab (server/lab) with the demo objects, and client-node pointed at it. */
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { type ApiServer, startApiServer } from '@/server/lab/api/server';
import { startTestLab, type TestLab } from '@/server/lab/api/test-support';
import { ensurePki } from '@/server/lab/pki';
import { resource } from '@/server/lab/store/resources';
import type { KubeObject } from '@/server/lab/store/types';
import { clientsFor, type KubeClients } from '../client';

export interface LabKube {
  lab: TestLab;
  kc: KubeConfig;
  clients: KubeClients;
  /** Stops the lab's API server and starts it again on the same port and store. */
  restartApi(between?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startLabKube(opts: { historySize?: number } = {}): Promise<LabKube> {
  const lab = await startTestLab(opts);
  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfig);
  let server: ApiServer = lab.server;
  return {
    lab,
    kc,
    clients: clientsFor(kc),
    async restartApi(between) {
      await server.close();
      await between?.();
      const pki = await ensurePki(lab.dir);
      server = await startApiServer({
        store: lab.store,
        port: lab.server.port,
        token: pki.token,
        tlsKey: pki.keyPem,
        tlsCert: pki.certPem,
        logDir: path.join(lab.dir, 'logs'),
      });
    },
    async close() {
      if (server !== lab.server) await server.close();
      await lab.close();
    },
  };
}

export const R = {
  ns: resource('namespaces'),
  ro: resource('rollouts'),
  rs: resource('replicasets'),
  cm: resource('configmaps'),
  vs: resource('virtualservices'),
  job: resource('jobs'),
  ar: resource('analysisruns'),
};

export const create = (lab: TestLab, plural: string, o: KubeObject): KubeObject =>
  lab.store.create(resource(plural), o);
