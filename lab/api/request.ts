import type { IncomingMessage, ServerResponse } from 'node:http';
import { queryBool } from '../rbac/request-info';
import type { TokenSigner } from '../rbac/tokens';
import type { PolicySource, UserInfo } from '../rbac/types';
import type { LabStore } from '../store/lab-store';
import type { GetPodLogs } from './pod-logs';
import type { ResourceRoute } from './router';

/** What every resource handler gets: the server's collaborators and the request. */
export interface ApiContext {
  store: LabStore;
  getPodLogs: GetPodLogs;
  bookmarkIntervalMs: number;
  /** RBAC's view of the store, and the signer of ServiceAccount tokens. */
  policy: PolicySource;
  signer: TokenSigner;
  /** Open watch/log streams, ended when the server closes. */
  streams: Set<ServerResponse>;
}

export interface ResourceRequest {
  route: ResourceRoute;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  /** The authenticated caller (already authorized for this request). */
  user: UserInfo;
}

export const isDryRun = (q: URLSearchParams): boolean => q.getAll('dryRun').includes('All');

/** `watch` as the API server reads it: present and not `0`/`false` (the same test RBAC's request info applies). */
export const isWatch = (q: URLSearchParams): boolean => queryBool(q.get('watch'));
