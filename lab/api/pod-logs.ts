import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';

export interface PodLogOptions {
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  timestamps: boolean;
  previous: boolean;
}

export interface PodLogs {
  /** The whole answer at once. */
  text?: string;
  /** Or a stream the server pipes to the client (for follow; ended when the client goes away). */
  stream?: NodeJS.ReadableStream;
}

/**
 * How the API server reads a container's log (`GET .../pods/<p>/log`). The contract with the lab's workload runner:
 * each container's output (stdout and stderr, as written) is appended to `<logDir>/<namespace>/<pod>/<container>.log`.
 * Return `undefined` when there is no log (the container has not run): the server answers 400 like a real one.
 * `timestamps`, `previous` and `sinceSeconds` are passed through; the default reader ignores them.
 */
export type GetPodLogs = (
  namespace: string,
  pod: string,
  container: string,
  opts: PodLogOptions,
) => PodLogs | undefined | Promise<PodLogs | undefined>;

function tail(text: string, lines: number | undefined): string {
  if (lines === undefined) return text;
  if (lines <= 0) return '';
  const parts = text.split('\n');
  const endsWithNewline = parts[parts.length - 1] === '';
  if (endsWithNewline) parts.pop();
  return parts.slice(-lines).join('\n') + (endsWithNewline && parts.length > 0 ? '\n' : '');
}

/** The default reader: the file the workload runner writes; `follow` polls it for appended bytes. */
export function fileLogReader(logDir: string): GetPodLogs {
  return async (namespace, pod, container, opts) => {
    const file = path.join(logDir, namespace, pod, `${container}.log`);
    if (!existsSync(file)) return undefined;
    const handle = await open(file, 'r');
    let text: string;
    try {
      text = (await handle.readFile()).toString('utf8');
    } finally {
      await handle.close();
    }
    let out = tail(text, opts.tailLines);
    if (opts.limitBytes !== undefined) out = out.slice(0, opts.limitBytes);
    if (!opts.follow) return { text: out };
    const stream = new PassThrough();
    stream.write(out);
    let offset = Buffer.byteLength(text);
    const timer = setInterval(() => {
      const size = existsSync(file) ? statSync(file).size : 0;
      if (size <= offset) return;
      const from = offset;
      offset = size;
      createReadStream(file, { start: from, end: size - 1 }).pipe(stream, { end: false });
    }, 250);
    stream.on('close', () => clearInterval(timer));
    return { stream };
  };
}
