import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Lab, until } from './lab-fixture';

/**
 * A rollout of a test's own in the lab (e2e/fixtures/steps-rollout.yaml under the test's name): created fresh, so a
 * test never starts from what the tests before it left, and removed afterwards (the other specs count the rollouts).
 */
const FIXTURE = path.join(__dirname, 'fixtures/steps-rollout.yaml');
const KINDS = 'rollout,virtualservice,gateway,service';

export interface RolloutJson {
  spec: {
    template: { spec: { containers: Array<{ image: string }> } };
    strategy: { canary: { steps: Array<Record<string, unknown>> } };
  };
  status?: {
    phase?: string;
    currentStepIndex?: number;
    pauseConditions?: Array<{ reason: string }> | null;
    stableRS?: string;
    currentPodHash?: string;
  };
}

export interface HttpRoute {
  name?: string;
  route: Array<{ destination: { host: string }; weight?: number }>;
  fault?: unknown;
}

export async function kubeJson<T>(lab: Lab, ...args: string[]): Promise<T> {
  return JSON.parse(await lab.kubectl(...args, '-o', 'json')) as T;
}

export const rolloutOf = (lab: Lab, name: string) =>
  kubeJson<RolloutJson>(lab, 'get', 'rollout', name, '-n', 'demo');

export const virtualServiceOf = (lab: Lab, name: string) =>
  kubeJson<{ spec: { hosts: string[]; gateways: string[]; http: HttpRoute[] } }>(
    lab,
    'get',
    'virtualservice',
    name,
    '-n',
    'demo',
  );

/** The canary weight of the VirtualService's route (`NAME-canary`'s destination). */
export async function canaryWeight(lab: Lab, name: string): Promise<number | undefined> {
  const vs = await virtualServiceOf(lab, name);
  return vs.spec.http[0]?.route.find((d) => d.destination.host === `${name}-canary`)?.weight;
}

/** The image of the rollout's stable ReplicaSet (status.stableRS). */
export async function stableImage(lab: Lab, name: string): Promise<string> {
  const ro = await rolloutOf(lab, name);
  return lab.kubectl(
    'get',
    'rs',
    '-n',
    'demo',
    '-l',
    `rollouts-pod-template-hash=${ro.status?.stableRS ?? '-'},app=${name}`,
    '-o',
    'jsonpath={.items[0].spec.template.spec.containers[0].image}',
  );
}

export async function deleteOwnRollout(lab: Lab, name: string): Promise<void> {
  await lab.kubectl(
    'delete',
    KINDS,
    name,
    `${name}-stable`,
    `${name}-canary`,
    '-n',
    'demo',
    '--ignore-not-found',
  );
  await until(`${name}'s pods gone`, 30_000, async () =>
    (await lab.kubectl('get', 'pods', '-n', 'demo', '-l', `app=${name}`, '-o', 'name')).trim() === ''
      ? true
      : undefined,
  );
}

/** Deletes what an earlier run left under `name`, applies the fixture, and waits for webapp:v1.0 Healthy. */
export async function createOwnRollout(lab: Lab, name: string): Promise<void> {
  await deleteOwnRollout(lab, name);
  const file = path.join(lab.dir, `${name}.yaml`);
  writeFileSync(file, readFileSync(FIXTURE, 'utf8').replaceAll('NAME', name));
  await lab.kubectl('apply', '-f', file);
  await until(`${name} Healthy on webapp:v1.0`, 60_000, async () => {
    const ro = await rolloutOf(lab, name);
    if (ro.status?.phase !== 'Healthy') return undefined;
    return (await stableImage(lab, name)) === 'webapp:v1.0' ? true : undefined;
  });
}
