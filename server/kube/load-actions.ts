import 'server-only';
import type { V1Job } from '@kubernetes/client-node';
import {
  isLoadActive,
  LOAD_DURATION_ANNOTATION,
  LOAD_MANAGED_BY,
  LOAD_RPS_ANNOTATION,
  type LoadJob,
} from '@/lib/rollout/load-progress';
import type { LoadBody } from '@/lib/schemas/actions';
import type { LoadTarget } from '@/lib/schemas/load-targets';
import { controlCenterConfig } from '../config/control-center-config';
import { ActionError, type ActionResult, actionResult, conflict } from './action-types';
import type { KubeClients } from './client';
import { kubeGetJson } from './raw-request';
import { getRollout } from './rollout-api';

/** The default load target when CONTROL_CENTER_CONFIG lists none: the gateway (LOADGEN_TARGET_URL, LOADGEN_HOST). */
export const loadDefaults = (): LoadTarget => ({
  name: 'gateway',
  url: process.env.LOADGEN_TARGET_URL || 'http://127.0.0.1:8081/api/work',
  host: process.env.LOADGEN_HOST || 'webapp.local',
});

/** The configured load targets (the first is the default). */
export function loadTargets(): LoadTarget[] {
  return controlCenterConfig().loadTargets ?? [loadDefaults()];
}

/** Why a load body's `target` is refused (an unknown name: the configured names listed), or null when it is known. */
export function loadTargetRefusal(name: string | undefined, targets = loadTargets()): string | null {
  if (name === undefined || targets.some((t) => t.name === name)) return null;
  return `unknown load target "${name}" (configured: ${targets.map((t) => t.name).join(', ')})`;
}

/** The target a load body names (omitted: the first configured). The request never carries an address. */
export function resolveLoadTarget(name: string | undefined, targets = loadTargets()): LoadTarget {
  const found = name === undefined ? targets[0] : targets.find((t) => t.name === name);
  if (!found)
    throw new ActionError(422, 'invalid_input', `invalid body: target: ${loadTargetRefusal(name, targets)}`);
  return found;
}

const labelsFor = (rollout: string) => ({ 'app.kubernetes.io/managed-by': LOAD_MANAGED_BY, rollout });

/** The load Job for a rollout: image `loadgen`, open loop at `rps` for `durationSeconds`, JSON summary. */
export function loadJob(
  namespace: string,
  rollout: string,
  opts: { rps: number; durationSeconds: number; url: string; host?: string; now: Date },
): V1Job {
  const stamp = opts.now.getTime().toString(36);
  const name = `${rollout.slice(0, 63 - 6 - stamp.length)}-load-${stamp}`;
  const labels = labelsFor(rollout);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      labels,
      annotations: {
        [LOAD_RPS_ANNOTATION]: String(opts.rps),
        [LOAD_DURATION_ANNOTATION]: String(opts.durationSeconds),
      },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: opts.durationSeconds + 120,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'loadgen',
              image: 'loadgen',
              args: [
                opts.url,
                '--rps',
                String(opts.rps),
                '--duration',
                `${opts.durationSeconds}s`,
                '--json',
                ...(opts.host ? ['-H', `Host: ${opts.host}`] : []),
              ],
            },
          ],
        },
      },
    },
  };
}

async function activeJobs(c: KubeClients, namespace: string, rollout: string): Promise<LoadJob[]> {
  const selector = Object.entries(labelsFor(rollout))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const list = (await kubeGetJson(c.kc, `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`, {
    labelSelector: selector,
  })) as { items?: LoadJob[] };
  return (list.items ?? []).filter(isLoadActive);
}

/** Start a load run (a Job) or stop the running one (delete its Job). */
export async function load(
  c: KubeClients,
  namespace: string,
  name: string,
  body: LoadBody,
  now: () => Date = () => new Date(),
): Promise<ActionResult> {
  await getRollout(c, namespace, name);
  const running = await activeJobs(c, namespace, name);
  if (body.stop) {
    const job = running[0];
    if (!job) throw conflict('cannot stop: no load run is in progress');
    const jobName = job.metadata?.name ?? '';
    for (const j of running)
      await c.batch.deleteNamespacedJob({
        name: j.metadata?.name ?? '',
        namespace,
        propagationPolicy: 'Background',
      });
    return actionResult(job, [{ target: `job/${jobName}`, method: 'DELETE', patch: null }]);
  }
  if (running.length) throw conflict(`cannot start: load run ${running[0]?.metadata?.name} is in progress`);
  const target = resolveLoadTarget(body.target);
  const manifest = loadJob(namespace, name, {
    rps: body.rps ?? 1,
    durationSeconds: body.durationSeconds ?? 1,
    url: target.url,
    host: target.host,
    now: now(),
  });
  const created = await c.batch.createNamespacedJob({ namespace, body: manifest });
  return actionResult(created, [
    { target: `job/${manifest.metadata?.name}`, method: 'POST', patch: manifest },
  ]);
}
