/**
 * The messages Go's net/http client gives for a failed request, as Argo's web provider stores them in a measurement
 * (metricproviders/webmetric/webmetric.go: `MarkMeasurementError(measurement, err)` with the *url.Error of
 * `client.Do`). url.Error prints `<Op> "<URL>": <Err>` with Op the method in Go's spelling ("Get", "Post").
 */

/** Go's `urlErrorOp`: "GET" → "Get". */
export const goUrlErrorOp = (method: string): string => method.slice(0, 1) + method.slice(1).toLowerCase();

/** http.Client.Timeout expired before the response headers came (net/http client.go `timeoutErr`). */
export const HEADERS_TIMEOUT = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
/** http.Client.Timeout expired while the body was read (net/http client.go `cancelTimerBody`). */
export const BODY_TIMEOUT =
  'context deadline exceeded (Client.Timeout or context cancellation while reading body)';

interface SysCause {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  message?: string;
}

/** Go's text for a dial/read failure that Node reports as `fetch failed` with a system error as its cause. */
export function goNetError(err: unknown, url: URL): string {
  const cause = ((err as { cause?: SysCause })?.cause ?? {}) as SysCause;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  switch (cause.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${cause.address && cause.port ? `${cause.address}:${cause.port}` : hostPort}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${cause.hostname ?? host}: no such host`;
    case 'EHOSTUNREACH':
      return `dial tcp ${hostPort}: connect: no route to host`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      // The server closed the connection before answering: Go's transport reports io.EOF.
      return 'EOF';
    default:
      return cause.message ?? (err as Error)?.message ?? String(err);
  }
}

export const goUrlError = (method: string, url: string, err: string): string =>
  `${goUrlErrorOp(method)} ${JSON.stringify(url)}: ${err}`;
