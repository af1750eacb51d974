import { recordEvent } from '../runtime/events';
import { logReconcileError, objectKey, splitKey, WorkQueue } from '../runtime/work-queue';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { controllerRef, nowIso, podPhase } from './owner';
import { type PodTemplate, podFromTemplate } from './pod-template';

const PODS = resource('pods');
const JOBS = resource('jobs');

interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  suspend?: boolean;
  template?: PodTemplate;
}

interface JobStatus {
  active?: number;
  succeeded?: number;
  failed?: number;
  ready?: number;
  startTime?: string;
  completionTime?: string;
  conditions?: Array<Record<string, unknown>>;
}

/**
 * Runs Jobs as pods (`<job>-<5 chars>`, labels `job-name`/`controller-uid`, owned by the Job). A failed pod counts
 * toward `backoffLimit` (default 6) and is replaced; `completions` successes complete the Job.
 */
export function startJobController(store: LabStore): { stop(): void } {
  const reconcile = (key: string) => {
    const { namespace, name } = splitKey(key);
    const job = store.get(JOBS, namespace, name);
    if (!job) return;
    const spec = (job.spec ?? {}) as JobSpec;
    const prev = (job.status ?? {}) as JobStatus;
    if (prev.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'))
      return;
    const pods = store
      .list(PODS, { namespace })
      .items.filter((p) => controllerRef(p)?.uid === job.metadata.uid);
    const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
    const failed = pods.filter((p) => podPhase(p) === 'Failed').length;
    let active = pods.filter(
      (p) => !['Succeeded', 'Failed'].includes(podPhase(p)) && !p.metadata.deletionTimestamp,
    );
    const completions = spec.completions ?? 1;
    const status: JobStatus = { ...prev, startTime: prev.startTime ?? nowIso(), succeeded, failed };
    const now = nowIso();
    if (succeeded >= completions) {
      status.completionTime = now;
      status.conditions = [
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now },
        { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now },
      ];
      recordEvent(
        store,
        job,
        { eventType: 'Normal', reason: 'Completed', message: 'Job completed' },
        Date.now(),
        { component: 'job-controller' },
      );
    } else if (failed > (spec.backoffLimit ?? 6)) {
      for (const p of active) store.delete(PODS, namespace, p.metadata.name ?? '');
      active = [];
      const message = 'Job has reached the specified backoff limit';
      status.conditions = [
        {
          type: 'FailureTarget',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message,
          lastTransitionTime: now,
        },
        { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message, lastTransitionTime: now },
      ];
      recordEvent(
        store,
        job,
        { eventType: 'Warning', reason: 'BackoffLimitExceeded', message: message },
        Date.now(),
        { component: 'job-controller' },
      );
    } else if (!spec.suspend && spec.template) {
      const want = Math.min(spec.parallelism ?? 1, completions - succeeded);
      for (let i = active.length; i < want; i++) {
        const pod = store.create(PODS, jobPod(job, spec.template));
        active.push(pod);
        recordEvent(
          store,
          job,
          { eventType: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` },
          Date.now(),
          { component: 'job-controller' },
        );
      }
    }
    status.active = active.length;
    status.ready = active.filter((p) =>
      (p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some(
        (c) => c.type === 'Ready' && c.status === 'True',
      ),
    ).length;
    try {
      store.update(JOBS, { ...job, status: status as Record<string, unknown> }, { subresource: 'status' });
    } catch (err) {
      console.error('[lab jobs] status:', (err as Error).message);
    }
  };
  const queue = new WorkQueue(reconcile, 0, logReconcileError('jobs'));
  const unwatchJobs = store.watch(JOBS, {}, (ev) => queue.add(objectKey(ev.object)));
  const unwatchPods = store.watch(PODS, {}, (ev) => {
    const owner = controllerRef(ev.object);
    if (owner?.kind === 'Job') queue.add(`${ev.object.metadata.namespace}/${owner.name}`);
  });
  return {
    stop() {
      unwatchJobs();
      unwatchPods();
      void queue.stop();
    },
  };
}

function jobPod(job: KubeObject, template: PodTemplate): KubeObject {
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const policy = (template.spec as { restartPolicy?: string } | undefined)?.restartPolicy;
  return podFromTemplate(
    job,
    template,
    `${name}-`,
    {
      'job-name': name,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'batch.kubernetes.io/controller-uid': uid,
    },
    { restartPolicy: policy === 'OnFailure' ? 'OnFailure' : 'Never' },
  );
}
