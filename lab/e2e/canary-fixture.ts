import { readdirSync, readFileSync } from 'node:fs';
import YAML from 'yaml';
import { list, type Obj, PATHS, vsCanaryWeight } from './kube-objects';
import type { LabProcess } from './lab-process';
import type { WatchEvent } from './watch-stream';

/** Renders manifests/app-fast offline and points its analysis at the lab's own Prometheus. */
export async function renderFast(lab: LabProcess): Promise<{ yaml: string; objects: Obj[] }> {
  const r = await lab.kubectl(['kustomize', 'manifests/app-fast']);
  if (r.code !== 0) throw new Error(`kubectl kustomize: ${r.stderr}`);
  if (!lab.prometheusUrl) throw new Error('the lab has no Prometheus (is /usr/bin/prometheus installed?)');
  const yaml = r.stdout.replaceAll('http://127.0.0.1:9090', lab.prometheusUrl);
  const objects = YAML.parseAllDocuments(yaml).map((d) => d.toJS() as Obj);
  return { yaml, objects };
}

export interface StepWindow {
  weight: number;
  from: number;
  to: number;
}

/** Time windows during which the VirtualService held each canary weight, from a watch on it. */
export function weightWindows(events: WatchEvent[], end: number): StepWindow[] {
  const out: StepWindow[] = [];
  for (const e of events) {
    const w = vsCanaryWeight(e.object);
    if (w === undefined) continue;
    const last = out.at(-1);
    if (last && last.weight === w) continue;
    if (last) last.to = e.at;
    out.push({ weight: w, from: e.at, to: end });
  }
  return out;
}

/** RolloutStepCompleted messages in the order they were recorded. */
export async function stepEvents(lab: LabProcess): Promise<string[]> {
  const events = await list(lab, PATHS.events);
  return events
    .filter((e) => e.reason === 'RolloutStepCompleted' && e.involvedObject?.name === 'webapp')
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => String(e.message));
}

/** Pids of the processes this lab process started directly (pods and Prometheus). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}
