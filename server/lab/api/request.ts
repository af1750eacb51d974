import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LabStore } from '../store/lab-store';
import type { GetPodLogs } from './pod-logs';
import type { ResourceRoute } from './router';

/** What every resource handler gets: the server's collaborators and the request. */
export interface ApiContext {
  store: LabStore;
  getPodLogs: GetPodLogs;
  bookmarkIntervalMs: number;
  /** Open watch/log streams, ended when the server closes. */
  streams: Set<ServerResponse>;
}

export interface ResourceRequest {
  route: ResourceRoute;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

export const isDryRun = (q: URLSearchParams): boolean => q.getAll('dryRun').includes('All');

export const isWatch = (q: URLSearchParams): boolean => {
  const w = q.get('watch');
  return w === '1' || w === 'true';
};
