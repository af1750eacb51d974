import { execFile } from 'node:child_process';
import { request } from 'node:https';

/** The answer of one request to the lab's API: status, parsed JSON (when it is JSON) and the raw text. */
export interface ApiResult {
  status: number;
  json: unknown;
  text: string;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LabRequest {
  /** `https://127.0.0.1:<port><path>` */
  url: string;
  method: string;
  /** The lab's CA (PEM). */
  ca: string;
  /** Bearer token; none when null. */
  token: string | null;
  /** JSON-encoded unless a string. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
}

/** One HTTPS request to the lab's Kubernetes API, as tests and benches make it. */
export function labRequest(o: LabRequest): Promise<ApiResult> {
  const payload =
    o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = request(
      o.url,
      {
        method: o.method,
        ca: o.ca,
        ...(o.timeoutMs !== undefined ? { timeout: o.timeoutMs } : {}),
        headers: {
          ...(o.token !== null ? { Authorization: `Bearer ${o.token}` } : {}),
          ...(payload !== undefined ? { 'Content-Type': o.contentType ?? 'application/json' } : {}),
          ...(o.accept ? { Accept: o.accept } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${o.method} ${o.url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs the real kubectl; never throws (the exit code, stdout and stderr say what happened). */
export function runKubectl(
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number },
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      args,
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
