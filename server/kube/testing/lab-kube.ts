/** Test support: a throwaway lab (lab/) with the demo objects, and client-node pointed at it. */

import {
  type KubeObject,
  resource,
  startTestLab,
  type TestLab,
  type TestLabOptions,
} from '@control-center/lab/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { clientsFor, type KubeClients } from '../client';

export interface LabKube {
  lab: TestLab;
  kc: KubeConfig;
  clients: KubeClients;
  /** Stops the lab's API server and starts it again on the same port and store. */
  restartApi(between?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startLabKube(opts: TestLabOptions = {}): Promise<LabKube> {
  const lab = await startTestLab(opts);
  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfig);
  return {
    lab,
    kc,
    clients: clientsFor(kc),
    restartApi: (between) => lab.restartApi(between),
    close: () => lab.close(),
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
