// The image grammar without zod, so the browser can check an image before sending it (the route parses with zod).

// The distribution/reference grammar: [domain[:port]/]path[:tag][@algorithm:hex].
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*';
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
export const IMAGE_RE = new RegExp(
  `^(?:${domain}/)?${pathComponent}(?:/${pathComponent})*(?::${tag})?(?:@${digest})?$`,
);

export const IMAGE_MAX_LENGTH = 512;
export const IMAGE_EXAMPLE = 'registry.example.com/team/webapp:v1.2';

/** What is wrong with an image reference, in the words the API uses; null when it is fine. */
export function imageProblem(raw: string): string | null {
  const s = raw.trim();
  if (s.length === 0) return 'must not be empty';
  if (s.length > IMAGE_MAX_LENGTH) return `must be at most ${IMAGE_MAX_LENGTH} characters`;
  if (!IMAGE_RE.test(s)) return `must be an image reference such as ${IMAGE_EXAMPLE}`;
  return null;
}
