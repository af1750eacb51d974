import type { KubeObject } from '../rollout/kube-types';
import { LOAD_DURATION_ANNOTATION, LOAD_MANAGED_BY, LOAD_RPS_ANNOTATION } from '../rollout/load-progress';
import type { LoadBody } from '../schemas/actions';
import type { KubeRequest } from './kube-request';
import { need, type PlanInput } from './plan-input';
import { conflict } from './refusal';

/** The labels of a rollout's load Jobs (the server lists the running ones by them). */
export const loadJobLabels = (rollout: string) => ({
  'app.kubernetes.io/managed-by': LOAD_MANAGED_BY,
  rollout,
});

/** A batch/v1 Job as the load plan writes it. */
export interface LoadJobManifest extends KubeObject {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    template: {
      metadata: { labels: Record<string, string> };
      spec: { restartPolicy: 'Never'; containers: Array<{ name: string; image: string; args: string[] }> };
    };
  };
}

/** The load Job for a rollout: image `loadgen`, open loop at `rps` for `durationSeconds`, JSON summary. */
export function loadJob(
  namespace: string,
  rollout: string,
  opts: { rps: number; durationSeconds: number; url: string; host?: string; now: Date },
): LoadJobManifest {
  const stamp = opts.now.getTime().toString(36);
  const name = `${rollout.slice(0, 63 - 6 - stamp.length)}-load-${stamp}`;
  const labels = loadJobLabels(rollout);
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

/** Start a load run (create a Job) or stop the running one (delete its Jobs, in the background). */
export function planLoad(input: PlanInput<LoadBody>): KubeRequest[] {
  const { rollout: ro, body, now } = input;
  const namespace = ro.metadata?.namespace ?? '';
  const rollout = ro.metadata?.name ?? '';
  const running = need(input, 'loadJobs');
  if (body.stop) {
    if (!running.length) throw conflict('cannot stop: no load run is in progress');
    return running.map((j) => ({
      verb: 'delete',
      resource: { kind: 'Job', name: j.metadata?.name ?? '' },
      propagationPolicy: 'Background',
      current: j,
    }));
  }
  const first = running[0];
  if (first) throw conflict(`cannot start: load run ${first.metadata?.name} is in progress`);
  const target = need(input, 'loadTarget');
  const manifest = loadJob(namespace, rollout, {
    rps: body.rps ?? 1,
    durationSeconds: body.durationSeconds ?? 1,
    url: target.url,
    host: target.host,
    now,
  });
  return [
    {
      verb: 'create',
      resource: { kind: 'Job', name: manifest.metadata.name },
      body: manifest,
      shown: manifest,
    },
  ];
}
