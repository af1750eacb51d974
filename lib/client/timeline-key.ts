import { queryKeyOf } from './use-query';

/** The query key of a rollout's stored timeline (its page reads it; the page's stream and actions read it again). */
export const timelineKey = (context: string | undefined, namespace: string, name: string): string =>
  `timeline:${context ?? ''}/${namespace}/${name}`;

/** The same, as the query cache names it (for reading it again from outside the hook). */
export const timelineQueryKey = (context: string | undefined, namespace: string, name: string) =>
  queryKeyOf(timelineKey(context, namespace, name));
