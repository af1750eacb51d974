export type LabApp = 'webapp' | 'loadgen';

export interface LabImage {
  app: LabApp;
  tag: string;
}

/** `localhost:5001/webapp:v1.1`, `webapp:v1.0`, `ghcr.io/x/loadgen@sha256:…` → the lab program and tag, else undefined. */
export function parseImage(image: string | undefined): LabImage | undefined {
  if (!image) return undefined;
  const noDigest = image.split('@')[0] ?? '';
  const nameTag = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = nameTag.indexOf(':');
  const name = colon < 0 ? nameTag : nameTag.slice(0, colon);
  const tag = colon < 0 ? 'latest' : nameTag.slice(colon + 1);
  if (name === 'webapp' || name === 'loadgen') return { app: name, tag };
  return undefined;
}
