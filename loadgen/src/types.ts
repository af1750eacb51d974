/** Options for one load run. Exactly one of `rps` or `concurrency` must be set. */
export interface LoadOptions {
  /** Target URL (http: or https:). */
  url: string;
  /** HTTP method, default GET. */
  method?: string;
  /** Extra request headers, e.g. `{ host: 'webapp.example' }` for a gateway. */
  headers?: Record<string, string>;
  /** Optional request body (sent with every request). */
  body?: string;
  /** Open loop: requests per second, paced by a schedule (request i at start + i/rps). */
  rps?: number;
  /** Closed loop: number of workers, each sending its next request when the previous one finished. */
  concurrency?: number;
  /** How long to send for. Default 10 s when `requests` is not set; never more than 1 h. */
  durationMs?: number;
  /** Stop after this many requests have been sent. */
  requests?: number;
  /** Per-request timeout (send to end of body), default 5 s. */
  timeoutMs?: number;
  /** Rate mode only: cap on requests in flight; a due send is dropped while the cap is reached. Default 1000. */
  maxInflight?: number;
  /** How long to wait for in-flight requests after sending stopped; the rest are aborted. Default timeoutMs + 1 s. */
  drainTimeoutMs?: number;
  /** Accept any TLS certificate (https only). */
  insecure?: boolean;
}

export interface LatencyStats {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface VersionStats {
  count: number;
  ok: number;
  failed: number;
  statusCodes: Record<string, number>;
  latencyMs: LatencyStats | null;
}

export interface ScheduleStats {
  /** Send slots that were due (request i at start + i/rps). */
  planned: number;
  /** Slots skipped because `maxInflight` requests were in flight. */
  dropped: number;
  /** Requests sent more than `lateThresholdMs` after their slot. */
  late: number;
  lateThresholdMs: number;
  /** Largest delay between a slot and its actual send. */
  maxLagMs: number;
}

export interface Summary {
  target: string;
  method: string;
  mode: 'rate' | 'concurrency';
  requestedRps: number | null;
  concurrency: number | null;
  /** Length of the sending phase in seconds (achievedRps = total / durationSeconds). */
  durationSeconds: number;
  /** Wall time including waiting for the last in-flight responses. */
  wallSeconds: number;
  startedAt: string;
  /** Requests that completed (with a response or an error). */
  total: number;
  /** Responses with status < 400. */
  ok: number;
  /** Responses with status >= 400 plus transport errors. */
  failed: number;
  achievedRps: number;
  /** Latency of requests that got an HTTP response (any status); null when there was none. */
  latencyMs: LatencyStats | null;
  statusCodes: Record<string, number>;
  /** Transport errors by kind: timeout, ECONNREFUSED, ECONNRESET, aborted, ... */
  errors: Record<string, number>;
  /** Responses whose JSON body had a string `version` field, by version. */
  versions: Record<string, number>;
  /** Detail per version, present when at least one response carried a version. */
  perVersion?: Record<string, VersionStats>;
  bytesReceived: number;
  bytesSent: number;
  /** Rate mode only. */
  schedule?: ScheduleStats;
  /** True when the run was stopped early through the abort signal. */
  interrupted: boolean;
}

export interface Progress {
  elapsedSeconds: number;
  sent: number;
  completed: number;
  ok: number;
  errors: number;
  inflight: number;
  /** Completions per second over the last interval. */
  currentRps: number;
  dropped: number;
}

/** One completed request, for callers that need more than the summary (e.g. when each failure happened). */
export interface RequestResult {
  /** When the request was sent (epoch ms). */
  sentAt: number;
  /** When it completed (epoch ms). */
  endedAt: number;
  /** The HTTP status, 0 for a transport error. */
  status: number;
  /** The transport error kind (timeout, ECONNREFUSED, ...) when there was no response. */
  errorKind?: string;
  /** The `version` field of a JSON body. */
  version?: string;
  /** The `error` field of a JSON body (the demo app's injected fault says `injected fault`). */
  bodyError?: string;
}

export interface RunHooks {
  /** Called once per completed request. */
  onResult?: (r: RequestResult) => void;
  /** Called about once a second while the run lasts. */
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /** Aborting stops sending, waits for in-flight requests (bounded) and resolves with the summary. */
  signal?: AbortSignal;
}
