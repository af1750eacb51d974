/** URLs of a rollout's page and API, with `?context=` when the rollout lives in a kube context other than the default. */

const path = (namespace: string, name: string) =>
  `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

function withQuery(base: string, query: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

/** `/api/v1/rollouts/{ns}/{name}[/{sub}]?…&context=` */
export function rolloutApiUrl(
  namespace: string,
  name: string,
  sub: string,
  context?: string,
  query: Record<string, string | number | undefined> = {},
): string {
  return withQuery(`/api/v1/rollouts/${path(namespace, name)}${sub ? `/${sub}` : ''}`, { ...query, context });
}

/** `/rollouts/{ns}/{name}?context=` */
export function rolloutPageUrl(namespace: string, name: string, context?: string): string {
  return withQuery(`/rollouts/${path(namespace, name)}`, { context });
}
