/**
 * ./run.sh canary-success | canary-failure: start load, set the image to the other version (plus, for failure, a
 * canary-only 10 % error fault), follow the rollout step by step, and print a summary. Works against whatever
 * KUBECONFIG names: the lab or a real cluster.
 */
import { z } from 'zod';
import { DEFAULT_JUDGE_CONFIG } from '../../lib/slo/config';
import { runLoad } from '../../loadgen/src/index';
import { type FollowResult, follow, stateOf } from './follow';
import { type CounterSamples, formatHolds, holdsOf } from './holds';
import { Kube } from './kube';
import { formatPreflight, preflight } from './preflight';
import { counterSeries } from './prometheus';
import { doneAfter, type OwnChange } from './wait';

const envSchema = z.object({
  CANARY_NAMESPACE: z.string().default('demo'),
  CANARY_ROLLOUT: z.string().default('webapp'),
  CANARY_VIRTUALSERVICE: z.string().default('webapp'),
  CANARY_SERVICE: z.string().default('webapp-canary'),
  CANARY_TARGET_URL: z.url().default('http://127.0.0.1:8081/api/work'),
  CANARY_HOST: z.string().default('webapp.local'),
  CANARY_RPS: z.coerce.number().min(1).max(1000).default(50),
  CANARY_TIMEOUT_SECONDS: z.coerce.number().min(10).max(3600).default(900),
  CANARY_FAULT_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.1),
  CANARY_IMAGE: z.string().optional(),
  /** Where the canary's request counters are read (default: the lab's Prometheus, else 127.0.0.1:9090). */
  PROMETHEUS_URL: z.url().optional(),
  CANARY_JUDGE_TEMPLATE: z.string().default('webapp-slo-judge'),
});

const VERSIONS = ['v1.0', 'v1.1'];

function otherImage(image: string): string {
  const at = image.lastIndexOf(':');
  const repo = at > image.lastIndexOf('/') ? image.slice(0, at) : image;
  const tag = at > image.lastIndexOf('/') ? image.slice(at + 1) : 'latest';
  return `${repo}:${tag === VERSIONS[1] ? VERSIONS[0] : VERSIONS[1]}`;
}

function tagOf(image: string): string {
  return image.slice(image.lastIndexOf(':') + 1);
}

async function main(): Promise<number> {
  const mode = process.argv[2];
  if (mode !== 'success' && mode !== 'failure') {
    console.error('usage: canary (success|failure)');
    return 2;
  }
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(
      `canary: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    return 2;
  }
  const e = parsed.data;
  const kube = new Kube();
  const ns = e.CANARY_NAMESPACE;
  const name = e.CANARY_ROLLOUT;
  const before = stateOf(await kube.rollout(ns, name));
  // Healthy: move to the other demo version. Aborted or still rolling: finish what is in flight (retry an abort).
  const inFlight = before.abort || before.currentHash !== before.stableHash;
  const target = e.CANARY_IMAGE ?? (inFlight ? before.image : otherImage(before.image));
  console.log(`cluster ${kube.server()}: rollout ${ns}/${name} is ${before.phase} at ${before.image}`);

  // What the analysis needs, before any load: a missing Secret or a silent judge would abort the canary later.
  const checks = formatPreflight(await preflight(kube, ns, name));
  console.log('analysis preflight');
  for (const line of checks.lines) console.log(line);
  if (checks.refuse) {
    console.error(`canary: not starting: the analysis of ${ns}/${name} cannot work (FAIL above)`);
    return 1;
  }

  if (mode === 'failure') {
    const faults = JSON.stringify({ [tagOf(target)]: { errorRate: e.CANARY_FAULT_ERROR_RATE } });
    await kube.setFaults(ns, 'webapp-faults', faults);
    console.log(
      `fault: ${tagOf(target)} answers ${Math.round(e.CANARY_FAULT_ERROR_RATE * 100)} % errors (ConfigMap webapp-faults)`,
    );
  } else {
    await kube.setFaults(ns, 'webapp-faults', '{}');
  }

  const controller = new AbortController();
  const load = runLoad(
    {
      url: e.CANARY_TARGET_URL,
      rps: e.CANARY_RPS,
      durationMs: e.CANARY_TIMEOUT_SECONDS * 1000,
      headers: { host: e.CANARY_HOST },
    },
    { signal: controller.signal },
  );
  console.log(`load: ${e.CANARY_RPS} rps to ${e.CANARY_TARGET_URL} (Host: ${e.CANARY_HOST})`);

  let change: OwnChange = { kind: 'none' };
  if (before.image === target && before.abort) {
    await kube.patchRolloutStatus(ns, name, { status: { abort: false } });
    change = { kind: 'retry', abortedAt: before.abortedAt };
    console.log(`retry: ${target} was aborted before; retrying it`);
  } else if (before.image === target) {
    console.log(`following: ${target} is already rolling out`);
  } else {
    change = { kind: 'image', generation: await kube.setImage(ns, name, 'webapp', target) };
    console.log(`set image: ${before.image} -> ${target} (generation ${change.generation})`);
  }

  // Final only once the controller has acted on the change above (wait.ts): before that the status is the old one.
  const isDone = doneAfter(
    change,
    (s) =>
      s.image === target &&
      s.observed &&
      ((s.phase === 'Healthy' && s.currentHash !== null && s.currentHash === s.stableHash) ||
        s.phase === 'Degraded'),
  );
  const tty = process.stdout.isTTY;
  const res = await follow(
    kube,
    ns,
    name,
    {
      vs: e.CANARY_VIRTUALSERVICE,
      canaryService: e.CANARY_SERVICE,
      timeoutSeconds: e.CANARY_TIMEOUT_SECONDS,
      isDone,
    },
    (line, changed) => {
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else if (changed) console.log(line);
    },
  );
  if (tty) process.stdout.write('\n');
  controller.abort();
  const summary = await load;
  if (mode === 'failure') await kube.setFaults(ns, 'webapp-faults', '{}');

  const codes = Object.entries(summary.statusCodes)
    .map(([c, n]) => `${c}: ${n}`)
    .join(', ');
  console.log('\nSummary');
  console.log(`  final phase          ${res.final.phase}${res.timedOut ? ' (timed out)' : ''}`);
  console.log(`  message              ${res.final.message || '-'}`);
  console.log(`  time taken           ${res.seconds.toFixed(1)} s`);
  if (mode === 'failure') {
    console.log(
      `  fault to 100 % stable ${res.faultToStableSeconds === null ? 'n/a' : `${res.faultToStableSeconds.toFixed(1)} s`}`,
    );
  }
  console.log(`  requests             ${summary.total} (${codes}); failed ${summary.failed}`);
  const versions = Object.entries(summary.versions ?? {})
    .map(([v, n]) => `${v}: ${n}`)
    .join(', ');
  if (versions) console.log(`  served by            ${versions}`);

  console.log('\nSteps held (time at each canary weight, from the VirtualService)');
  for (const line of await holdLines(kube, e, res)) console.log(line);

  if (res.timedOut) return 1;
  if (mode === 'success') return res.final.phase === 'Healthy' ? 0 : 1;
  return res.final.phase === 'Degraded' ? 0 : 1;
}

/** The hold table: weights from the follow, canary requests from Prometheus (waits for a scrape after the end). */
async function holdLines(kube: Kube, e: z.infer<typeof envSchema>, res: FollowResult): Promise<string[]> {
  const prometheus = e.PROMETHEUS_URL ?? (await kube.labInfo())?.prometheusUrl ?? 'http://127.0.0.1:9090';
  const rangeStart = res.startedAt - 60_000;
  let counters: CounterSamples[] | null = null;
  let requestsFrom = `istio_requests_total of ${e.CANARY_SERVICE} in Prometheus ${prometheus}`;
  try {
    // Prometheus scrapes every few seconds: wait (≤ 20 s) for a sample after the canary's last weight change.
    const deadline = Date.now() + 20_000;
    for (;;) {
      counters = await counterSeries(
        prometheus,
        e.CANARY_NAMESPACE,
        e.CANARY_SERVICE,
        rangeStart,
        Date.now(),
      );
      const newest = Math.max(0, ...counters.map((c) => c.at(-1)?.at ?? 0));
      if (newest >= res.endedAt || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } catch (err) {
    counters = null;
    requestsFrom = `n/a: ${(err as Error).message}`;
  }
  const holds = holdsOf(res.weights, {
    now: res.endedAt,
    ...(counters ? { counters } : {}),
    mode: 'estimate',
    rangeStart,
  });
  const { minSeconds, from } = await minStepSeconds(kube, e);
  return formatHolds(holds, {
    minSeconds,
    minRequests: DEFAULT_JUDGE_CONFIG.minCanaryRequests,
    requestsFrom,
    minimumFrom: from,
  });
}

/** The judge's minimum time at a step: the AnalysisTemplate's `min-step-seconds` arg, else the judge's default. */
async function minStepSeconds(
  kube: Kube,
  e: z.infer<typeof envSchema>,
): Promise<{ minSeconds: number; from: string }> {
  const fallback = {
    minSeconds: DEFAULT_JUDGE_CONFIG.minStepSeconds,
    from: "the judge's default, unless CONTROL_CENTER_CONFIG slo: sets it",
  };
  try {
    const t = await kube.analysisTemplate(e.CANARY_NAMESPACE, e.CANARY_JUDGE_TEMPLATE);
    const args = (
      (t?.spec as { args?: Array<{ name: string; value?: string }> } | undefined)?.args ?? []
    ).filter((a) => a.name === 'min-step-seconds');
    const v = Number(args[0]?.value);
    if (args[0]?.value && Number.isFinite(v))
      return { minSeconds: v, from: `AnalysisTemplate ${e.CANARY_JUDGE_TEMPLATE} arg min-step-seconds` };
  } catch {
    // no permission or no such template: the default
  }
  return fallback;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const body = (err as { body?: unknown }).body;
    console.error(`canary: ${(err as Error).message}${typeof body === 'string' ? `\n${body}` : ''}`);
    process.exit(1);
  },
);
