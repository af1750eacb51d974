/** The query key of a rollout's stored timeline (its page reads it; the page's stream and actions read it again). */
export const timelineKey = (context: string | undefined, namespace: string, name: string): string =>
  `timeline:${context ?? ''}/${namespace}/${name}`;
