import path from 'node:path';
import { privateDir, writePrivateFile } from '../../support/files/private-files';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';

const PORT_ANNOTATION = 'lab.rollouts.io/port';

interface FileSdGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** Prometheus file_sd groups: one per Running pod with a port (its `/metrics`), labelled like kubernetes_sd relabelling. */
export function podTargetGroups(pods: KubeObject[], host: string): FileSdGroup[] {
  return pods
    .filter(
      (p) =>
        (p.status as { phase?: string } | undefined)?.phase === 'Running' &&
        p.metadata.annotations?.[PORT_ANNOTATION],
    )
    .map((p) => {
      const labels = p.metadata.labels ?? {};
      const out: Record<string, string> = {
        namespace: p.metadata.namespace ?? '',
        pod: p.metadata.name ?? '',
      };
      if (labels.app) out.app = labels.app;
      if (labels.version) out.pod_version = labels.version;
      if (labels['rollouts-pod-template-hash'])
        out.rollouts_pod_template_hash = labels['rollouts-pod-template-hash'];
      return { targets: [`${host}:${p.metadata.annotations?.[PORT_ANNOTATION]}`], labels: out };
    })
    .sort((a, b) => (a.targets[0] ?? '').localeCompare(b.targets[0] ?? ''));
}

/** Keeps `file` (file_sd JSON) in sync with the store's pods; atomic rename, only when the content changed. */
export function watchPodTargets(store: LabStore, file: string, host: string): () => void {
  let last = '';
  let queued = false;
  const write = () => {
    queued = false;
    const text = JSON.stringify(podTargetGroups(store.list(resource('pods')).items, host), null, 2);
    if (text === last) return;
    last = text;
    privateDir(path.dirname(file));
    writePrivateFile(file, text);
  };
  write();
  const unwatch = store.watch(resource('pods'), { resourceVersion: store.currentResourceVersion() }, () => {
    if (queued) return;
    queued = true;
    setTimeout(write, 200).unref();
  });
  return unwatch;
}
