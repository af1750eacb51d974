import {
  DEFAULT_DURATION_MS,
  DEFAULT_MAX_INFLIGHT,
  DEFAULT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_DURATION_MS,
  MAX_REQUESTS,
  MAX_RPS,
} from './options';
import type { LoadOptions } from './types';

/** A command-line error; the CLI prints the message and exits with status 2. */
export class ArgError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
    this.name = 'ArgError';
  }
}

export interface CliOptions {
  load: LoadOptions;
  json: boolean;
  progress: boolean;
  failOnError: boolean;
  help: boolean;
}

export const USAGE = `Usage: loadgen [options] <url>

Sends HTTP requests to <url> at a fixed rate (open loop) or with a fixed number of
workers (closed loop), then prints a summary. Every run is bounded by --duration
and/or --requests (at most 1h).

Load shape (exactly one):
  --rps N              open loop: request i is sent at start + i/N, whatever the latency
  -c, --concurrency N  closed loop: N workers, each waits for its response before sending again

Bounds:
  -z, --duration D     how long to send, e.g. 500ms, 30s, 2m, 1h (default 10s unless --requests)
  -n, --requests N     stop after N requests

Requests:
  --url URL            target (or give it as the positional argument)
  -m, --method M       HTTP method (default GET)
  -H, --header 'N: v'  extra header, repeatable (e.g. -H 'Host: webapp.example')
  -d, --body S         request body
  -t, --timeout D      per-request timeout (default 5s)
  --max-inflight N     rate mode: cap on requests in flight; sends due while capped are dropped (default 1000)
  -k, --insecure       accept any TLS certificate

Output:
  --json               print one JSON summary object on stdout instead of the table
  --progress           a progress line every second on stderr (JSON lines with --json)
  --fail-on-error      exit 1 if any request failed (status >= 400 or transport error)
  -h, --help           this text

Exit status: 0 when the run completed (even with HTTP errors), 1 with --fail-on-error and
failures, 2 for bad arguments.`;

/** Parse a duration such as 500ms, 30s, 2m, 1h, 1.5s or a bare number of seconds into ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 500ms, 30s, 2m, 1h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  const ms = n * factor;
  if (!(ms > 0)) throw new Error(`must be greater than 0, got ${JSON.stringify(text)}`);
  return ms;
}

type Kind = 'bool' | 'value';
const FLAGS: Record<string, { name: string; kind: Kind }> = {
  '--url': { name: 'url', kind: 'value' },
  '--rps': { name: 'rps', kind: 'value' },
  '--concurrency': { name: 'concurrency', kind: 'value' },
  '-c': { name: 'concurrency', kind: 'value' },
  '--duration': { name: 'duration', kind: 'value' },
  '-z': { name: 'duration', kind: 'value' },
  '--requests': { name: 'requests', kind: 'value' },
  '-n': { name: 'requests', kind: 'value' },
  '--timeout': { name: 'timeout', kind: 'value' },
  '-t': { name: 'timeout', kind: 'value' },
  '--method': { name: 'method', kind: 'value' },
  '-m': { name: 'method', kind: 'value' },
  '--header': { name: 'header', kind: 'value' },
  '-H': { name: 'header', kind: 'value' },
  '--body': { name: 'body', kind: 'value' },
  '-d': { name: 'body', kind: 'value' },
  '--max-inflight': { name: 'max-inflight', kind: 'value' },
  '--insecure': { name: 'insecure', kind: 'bool' },
  '-k': { name: 'insecure', kind: 'bool' },
  '--json': { name: 'json', kind: 'bool' },
  '--progress': { name: 'progress', kind: 'bool' },
  '--fail-on-error': { name: 'fail-on-error', kind: 'bool' },
  '--help': { name: 'help', kind: 'bool' },
  '-h': { name: 'help', kind: 'bool' },
};

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function number(flag: string, raw: string, opts: { integer: boolean; min: number; max: number }): number {
  const ok = opts.integer ? /^\d+$/.test(raw) : /^\d+(\.\d+)?$/.test(raw);
  const n = Number(raw);
  if (!ok || !Number.isFinite(n)) {
    throw new ArgError(
      flag,
      `expected ${opts.integer ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`,
    );
  }
  if (n <= 0 || n < opts.min || n > opts.max) {
    throw new ArgError(flag, `must be > 0 and between ${opts.min} and ${opts.max}, got ${raw}`);
  }
  return n;
}

function duration(flag: string, raw: string): number {
  try {
    return parseDuration(raw);
  } catch (e) {
    throw new ArgError(flag, (e as Error).message);
  }
}

/** Parse argv (without node and script). Throws ArgError naming the offending flag. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const seen = new Map<string, { flag: string; value: string }>();
  const headers: Array<{ flag: string; value: string }> = [];
  const positional: string[] = [];
  const bools = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[flag];
    if (!spec) throw new ArgError(flag, 'unknown option (see --help)');
    if (spec.kind === 'bool') {
      if (eq >= 0) throw new ArgError(flag, 'takes no value');
      bools.add(spec.name);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new ArgError(flag, 'missing value');
      value = next;
      i++;
    }
    if (spec.name === 'header') headers.push({ flag, value });
    else {
      if (seen.has(spec.name)) throw new ArgError(flag, 'given more than once');
      seen.set(spec.name, { flag, value });
    }
  }

  const help = bools.has('help');
  if (help)
    return { load: { url: '', concurrency: 1 }, json: false, progress: false, failOnError: false, help };
  const get = (name: string) => seen.get(name);

  // target
  const urlOpt = get('url');
  if (positional.length > 1 || (urlOpt && positional.length > 0)) {
    throw new ArgError(
      'url',
      `exactly one target URL expected, got ${[urlOpt?.value, ...positional].filter(Boolean).join(' ')}`,
    );
  }
  const urlFlag = urlOpt ? urlOpt.flag : 'url';
  const urlText = urlOpt?.value ?? positional[0];
  if (urlText === undefined) {
    throw new ArgError('url', 'missing target URL');
  }
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(urlText);
  } catch {
    throw new ArgError(urlFlag, `not a valid URL: ${JSON.stringify(urlText)}`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    throw new ArgError(urlFlag, `only http:// and https:// URLs are supported, got ${parsedUrl.protocol}`);
  }

  const load: LoadOptions = { url: urlText };

  const rps = get('rps');
  const conc = get('concurrency');
  if (rps && conc) throw new ArgError(conc.flag, `cannot be combined with ${rps.flag}`);
  if (!rps && !conc)
    throw new ArgError('--rps', 'one of --rps N (open loop) or --concurrency N (closed loop) is required');
  if (rps) load.rps = number(rps.flag, rps.value, { integer: false, min: 0, max: MAX_RPS });
  if (conc) load.concurrency = number(conc.flag, conc.value, { integer: true, min: 1, max: MAX_CONCURRENCY });

  const dur = get('duration');
  if (dur) {
    load.durationMs = duration(dur.flag, dur.value);
    if (load.durationMs > MAX_DURATION_MS) throw new ArgError(dur.flag, `at most 1h, got ${dur.value}`);
  }
  const reqs = get('requests');
  if (reqs) load.requests = number(reqs.flag, reqs.value, { integer: true, min: 1, max: MAX_REQUESTS });
  if (!dur && !reqs) load.durationMs = DEFAULT_DURATION_MS;

  const timeout = get('timeout');
  load.timeoutMs = timeout ? duration(timeout.flag, timeout.value) : DEFAULT_TIMEOUT_MS;
  if (timeout && load.timeoutMs > MAX_DURATION_MS) throw new ArgError(timeout.flag, 'at most 1h');

  const mi = get('max-inflight');
  if (mi) {
    if (!rps) throw new ArgError(mi.flag, 'only applies to --rps (open loop) mode');
    load.maxInflight = number(mi.flag, mi.value, { integer: true, min: 1, max: 100_000 });
  } else if (rps) load.maxInflight = DEFAULT_MAX_INFLIGHT;

  const method = get('method');
  if (method) {
    if (!TOKEN.test(method.value))
      throw new ArgError(method.flag, `not a valid HTTP method: ${JSON.stringify(method.value)}`);
    load.method = method.value.toUpperCase();
  }

  if (headers.length > 0) {
    const h: Record<string, string> = {};
    for (const { flag, value } of headers) {
      const colon = value.indexOf(':');
      const name = colon > 0 ? value.slice(0, colon).trim() : '';
      if (!name || !TOKEN.test(name)) {
        throw new ArgError(flag, `expected 'Name: value', got ${JSON.stringify(value)}`);
      }
      const v = value.slice(colon + 1).trim();
      if (/[\r\n\0]/.test(v)) throw new ArgError(flag, 'header value must not contain CR, LF or NUL');
      h[name.toLowerCase()] = v;
    }
    load.headers = h;
  }

  const body = get('body');
  if (body) load.body = body.value;
  if (bools.has('insecure')) load.insecure = true;

  return {
    load,
    json: bools.has('json'),
    progress: bools.has('progress'),
    failOnError: bools.has('fail-on-error'),
    help,
  };
}
