import fs from 'node:fs';
import path from 'node:path';
import { privateDir, writePrivateFile } from '../../support/files/private-files';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';

type KeyToPath = { key: string; path: string };

export interface PodVolume {
  name: string;
  /** `<dir>/volumes/<ns>/<pod>/<volume>` */
  localDir: string;
  source:
    | { kind: 'configMap' | 'secret'; name: string; items?: KeyToPath[] }
    | { kind: 'emptyDir' | 'unsupported' };
}

interface VolumeSpec {
  name: string;
  configMap?: { name: string; items?: KeyToPath[] };
  secret?: { secretName: string; items?: KeyToPath[] };
  emptyDir?: unknown;
}

export function podVolumeRoot(dir: string, namespace: string, pod: string): string {
  return path.join(dir, 'volumes', namespace, pod);
}

const VOLUME_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `child` resolved lies strictly inside `root` resolved. */
export function inside(root: string, child: string): boolean {
  return path.resolve(child).startsWith(`${path.resolve(root)}${path.sep}`);
}

/**
 * The pod's volumes the lab can place: a volume whose name is not a DNS-1123 label or whose folder would lie outside
 * the pod's volume folder is left out (the API refuses such names; this holds for objects stored before it did).
 */
export function podVolumes(dir: string, pod: KubeObject): PodVolume[] {
  const spec = pod.spec as { volumes?: VolumeSpec[] } | undefined;
  const root = podVolumeRoot(dir, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  const volumesRoot = path.join(dir, 'volumes');
  const placeable = (spec?.volumes ?? []).filter(
    (v) =>
      typeof v.name === 'string' &&
      VOLUME_NAME.test(v.name) &&
      inside(volumesRoot, root) &&
      inside(root, path.join(root, v.name)),
  );
  return placeable.map((v) => {
    const localDir = path.join(root, v.name);
    if (v.configMap) return { name: v.name, localDir, source: { kind: 'configMap', ...v.configMap } };
    if (v.secret)
      return {
        name: v.name,
        localDir,
        source: { kind: 'secret', name: v.secret.secretName, items: v.secret.items },
      };
    return { name: v.name, localDir, source: { kind: v.emptyDir ? 'emptyDir' : 'unsupported' } };
  });
}

/** Writes the ConfigMap/Secret keys as files (atomic rename, only when changed) and removes keys that went away. */
export function syncVolume(store: LabStore, namespace: string, vol: PodVolume): void {
  privateDir(vol.localDir);
  const src = vol.source;
  if (src.kind !== 'configMap' && src.kind !== 'secret') return;
  const files = new Map<string, Buffer>();
  const obj = store.get(resource(src.kind === 'configMap' ? 'configmaps' : 'secrets'), namespace, src.name);
  const data = (obj?.data ?? {}) as Record<string, string>;
  const binary = (obj?.binaryData ?? {}) as Record<string, string>;
  const contents = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(data))
    contents.set(k, src.kind === 'secret' ? Buffer.from(v, 'base64') : Buffer.from(v));
  for (const [k, v] of Object.entries(binary)) contents.set(k, Buffer.from(v, 'base64'));
  if (src.items?.length) {
    for (const item of src.items) {
      const c = contents.get(item.key);
      if (c) files.set(item.path, c);
    }
  } else for (const [k, c] of contents) files.set(k, c);
  for (const [rel, content] of files) writeIfChanged(vol.localDir, rel, content);
  for (const existing of fs.readdirSync(vol.localDir)) {
    if (!existing.startsWith('.') && !files.has(existing))
      fs.rmSync(path.join(vol.localDir, existing), { recursive: true, force: true });
  }
}

function writeIfChanged(root: string, rel: string, content: Buffer): void {
  const target = path.resolve(root, rel);
  if (!inside(root, target)) return; // no escaping the volume
  try {
    if (fs.readFileSync(target).equals(content)) return;
  } catch {
    // missing: write it
  }
  privateDir(path.dirname(target));
  writePrivateFile(target, content);
}

export function removePodVolumes(dir: string, namespace: string, pod: string): void {
  const root = podVolumeRoot(dir, namespace, pod);
  if (inside(path.join(dir, 'volumes'), root)) fs.rmSync(root, { recursive: true, force: true });
}
