import 'server-only';
import { type KubeContexts, knownContextIn, resolveContextIn, timelineScopeIn } from '../kube/contexts';
import type { TimelineScope } from '../store/types';
import { runtime } from './current';

/** The runtime's kube contexts. */
export const kubeContexts = (): KubeContexts => runtime().contexts;

/** The context a request names (`?context=`; omitted = the default); throws a 422 naming the field when unknown. */
export const resolveContext = (requested: string | undefined | null): string =>
  resolveContextIn(kubeContexts(), requested);

/** The same for a page's search parameter: unknown contexts fall back to nothing (the page says so). */
export const knownContext = (requested: string | undefined): string | undefined =>
  knownContextIn(kubeContexts(), requested);

/** Where a context's timeline entries go (see TimelineScope). */
export const timelineScope = (context?: string): TimelineScope => timelineScopeIn(kubeContexts(), context);
