import path from 'node:path';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import type { LabImage } from './image';
import { inside, type PodVolume } from './pod-volumes';

export interface ContainerSpec {
  name: string;
  image?: string;
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string }>;
  readinessProbe?: { httpGet?: { path?: string }; failureThreshold?: number };
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}

export const FAULTS_CONFIG_MAP = 'webapp-faults';

/** mountPath → local directory for the container's volume mounts. */
export function mountMap(container: ContainerSpec, volumes: PodVolume[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of container.volumeMounts ?? []) {
    const vol = volumes.find((v) => v.name === m.name);
    if (!vol) continue;
    const local = path.join(vol.localDir, m.subPath ?? '');
    // a subPath never leads out of its volume (the API refuses `..` and absolute subPaths already)
    if (local === vol.localDir || inside(vol.localDir, local))
      out.push([m.mountPath.replace(/\/+$/, ''), local]);
  }
  return out.sort((a, b) => b[0].length - a[0].length);
}

/** Rewrites a path inside a mount to the lab's directory for that volume. */
export function mapMountedPath(value: string, mounts: Array<[string, string]>): string {
  for (const [mountPath, local] of mounts) {
    if (value === mountPath) return local;
    if (value.startsWith(`${mountPath}/`)) return path.join(local, value.slice(mountPath.length + 1));
  }
  return value;
}

export interface EnvInput {
  store: LabStore;
  pod: KubeObject;
  container: ContainerSpec;
  image: LabImage;
  volumes: PodVolume[];
  host: string;
  port?: number;
}

/**
 * The process environment: PATH, the container's env (values; fieldRef/configMapKeyRef/secretKeyRef resolved, paths
 * inside volume mounts mapped to the lab's directories), VERSION=<tag> for the webapp, FAULTS_FILE from a mounted
 * `webapp-faults` ConfigMap, and the lab-owned HOST/PORT last (they always win: pods share one machine).
 */
export function containerEnv(input: EnvInput): Record<string, string> {
  const { pod, container, image } = input;
  const mounts = mountMap(container, input.volumes);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOSTNAME: pod.metadata.name ?? 'lab',
    NODE_ENV: 'production',
  };
  if (image.app === 'webapp') env.VERSION = image.tag;
  for (const e of container.env ?? []) {
    const v = e.value ?? resolveValueFrom(input, e);
    if (v !== undefined) env[e.name] = mapMountedPath(v, mounts);
  }
  if (image.app === 'webapp' && !env.FAULTS_FILE) {
    const faults = input.volumes.find(
      (v) => v.source.kind === 'configMap' && v.source.name === FAULTS_CONFIG_MAP,
    );
    if (faults) env.FAULTS_FILE = faults.localDir;
  }
  if (image.app === 'webapp') {
    env.HOST = input.host;
    env.PORT = String(input.port ?? 0);
  }
  return env;
}

function resolveValueFrom(input: EnvInput, e: EnvVar): string | undefined {
  const from = e.valueFrom;
  const meta = input.pod.metadata;
  if (from?.fieldRef) {
    const p = from.fieldRef.fieldPath;
    if (p === 'metadata.name') return meta.name;
    if (p === 'metadata.namespace') return meta.namespace;
    if (p === 'metadata.uid') return meta.uid;
    if (p === 'status.podIP' || p === 'status.hostIP') return input.host;
    if (p === 'spec.nodeName') return 'lab';
    if (p === 'spec.serviceAccountName') return 'default';
    const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(p);
    if (label) return (label[1] === 'labels' ? meta.labels : meta.annotations)?.[label[2] ?? ''];
    return undefined;
  }
  if (from?.configMapKeyRef) {
    const cm = input.store.get(resource('configmaps'), meta.namespace, from.configMapKeyRef.name);
    return (cm?.data as Record<string, string> | undefined)?.[from.configMapKeyRef.key];
  }
  if (from?.secretKeyRef) {
    const s = input.store.get(resource('secrets'), meta.namespace, from.secretKeyRef.name);
    const v = (s?.data as Record<string, string> | undefined)?.[from.secretKeyRef.key];
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  }
  return undefined;
}
