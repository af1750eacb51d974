/**
 * What the launch form suggests: the repository the rollout runs now (the registry the cluster pulls from, e.g.
 * `localhost:5001/webapp` on kind, a bare `webapp` in the lab) with a tag to fill in, and the other images this
 * rollout has run (its older revisions), as candidates. Pure: read from the rollout's own images, nothing else.
 */

/** `registry:port/path/name:tag@sha256:...` -> `registry:port/path/name` (a port is not a tag). */
export function repositoryOf(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

export interface ImageSuggestion {
  /** e.g. `localhost:5001/webapp:<tag>`; null when the rollout's image is unknown. */
  placeholder: string | null;
  /** Images of this rollout other than the current one, newest revision first, without repeats. */
  candidates: string[];
}

export function imageSuggestion(
  current: string | null,
  revisions: ReadonlyArray<{ revision: number; images: readonly string[] }>,
): ImageSuggestion {
  const seen = new Set<string>(current ? [current] : []);
  const candidates: string[] = [];
  for (const r of [...revisions].sort((a, b) => b.revision - a.revision)) {
    const img = r.images[0];
    if (img && !seen.has(img)) {
      seen.add(img);
      candidates.push(img);
    }
  }
  return { placeholder: current ? `${repositoryOf(current)}:<tag>` : null, candidates };
}
