import fs from 'node:fs';
import path from 'node:path';
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

export function podVolumes(dir: string, pod: KubeObject): PodVolume[] {
  const spec = pod.spec as { volumes?: VolumeSpec[] } | undefined;
  const root = podVolumeRoot(dir, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  return (spec?.volumes ?? []).map((v) => {
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
  fs.mkdirSync(vol.localDir, { recursive: true });
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
  if (!target.startsWith(`${path.resolve(root)}${path.sep}`)) return; // no escaping the volume
  try {
    if (fs.readFileSync(target).equals(content)) return;
  } catch {
    // missing: write it
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, target);
}

export function removePodVolumes(dir: string, namespace: string, pod: string): void {
  fs.rmSync(podVolumeRoot(dir, namespace, pod), { recursive: true, force: true });
}
