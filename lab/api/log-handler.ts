import { resource } from '../store/resources';
import { badRequest } from '../store/status-error';
import { sendText } from './http-util';
import type { PodLogOptions } from './pod-logs';
import type { ApiContext, ResourceRequest } from './request';
import { isObj, list } from './validate-common';

const int = (v: string | null): number | undefined => {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid integer "${v}"`);
  return n;
};
const bool = (v: string | null): boolean => v === 'true' || v === '1';

/** `GET /api/v1/namespaces/<ns>/pods/<p>/log`: text, or a stream with `follow`. */
export async function servePodLog(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { route, query, res } = r;
  const ns = route.namespace ?? '';
  const name = route.name ?? '';
  const pod = ctx.store.mustGet(resource('pods'), ns, name);
  const spec = isObj(pod.spec) ? pod.spec : {};
  const names = [...list(spec.initContainers), ...list(spec.containers)]
    .map((c) => (isObj(c) ? String(c.name ?? '') : ''))
    .filter(Boolean);
  const mains = list(spec.containers).map((c) => (isObj(c) ? String(c.name ?? '') : ''));
  let container = query.get('container') ?? '';
  if (!container) {
    if (mains.length !== 1)
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${mains.join(' ')}]`,
      );
    container = mains[0] ?? '';
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const opts: PodLogOptions = {
    follow: bool(query.get('follow')),
    tailLines: int(query.get('tailLines')),
    sinceSeconds: int(query.get('sinceSeconds')),
    limitBytes: int(query.get('limitBytes')),
    timestamps: bool(query.get('timestamps')),
    previous: bool(query.get('previous')),
  };
  const logs = await ctx.getPodLogs(ns, name, container, opts);
  if (!logs || (logs.text === undefined && !logs.stream))
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  if (logs.text !== undefined) return sendText(res, 200, logs.text);
  const stream = logs.stream;
  if (!stream) return;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  ctx.streams.add(res);
  stream.pipe(res);
  res.on('close', () => {
    ctx.streams.delete(res);
    const s = stream as NodeJS.ReadableStream & { destroy?: () => void };
    s.destroy?.();
  });
}
