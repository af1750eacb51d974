/**
 * Before the canary scripts start load: can the Rollout's analysis work? For every AnalysisTemplate its steps (and its
 * background analysis) name: the template exists; every arg gets a value (the Rollout's args override the template's);
 * each `valueFrom.secretKeyRef` resolves (a missing Secret makes Argo fail the AnalysisRun with "failed to resolve
 * {{args.<name>}}" and the rollout aborts); and the judge (`judge-url`) answers `GET /api/health`.
 */
import type { Kube, Obj } from './kube';

export type Finding = { level: 'ok' | 'warn' | 'fail'; message: string };

type Arg = {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
};
type AnalysisRef = { templates?: Array<{ templateName: string; clusterScope?: boolean }>; args?: Arg[] };

/** The analyses of a Rollout's canary strategy: each step's, then the background one. */
function analysesOf(ro: Obj): AnalysisRef[] {
  const canary = (
    ro.spec as {
      strategy?: { canary?: { steps?: Array<{ analysis?: AnalysisRef }>; analysis?: AnalysisRef } };
    }
  ).strategy?.canary;
  return [
    ...(canary?.steps ?? []).flatMap((s) => (s.analysis ? [s.analysis] : [])),
    ...(canary?.analysis ? [canary.analysis] : []),
  ];
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

export async function preflight(
  kube: Kube,
  namespace: string,
  rollout: string,
  opts: { probeTimeoutMs?: number } = {},
): Promise<Finding[]> {
  const out: Finding[] = [];
  const ro = await kube.lookup(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/${rollout}`);
  if (!('found' in ro))
    return [
      ro.status === 404
        ? {
            level: 'fail',
            message: `Rollout ${namespace}/${rollout} does not exist (./run.sh local creates the demo)`,
          }
        : {
            level: 'warn',
            message: `cannot check the analysis: reading Rollout ${namespace}/${rollout} is forbidden (403)`,
          },
    ];
  const checked = new Set<string>();
  for (const analysis of analysesOf(ro.found)) {
    for (const ref of analysis.templates ?? []) {
      const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const key = `${kind}/${ref.templateName}/${JSON.stringify(analysis.args ?? [])}`;
      if (checked.has(key)) continue;
      checked.add(key);
      const where = ref.clusterScope ? ref.templateName : `${namespace}/${ref.templateName}`;
      const t = await kube.lookup(
        ref.clusterScope
          ? `/apis/argoproj.io/v1alpha1/clusteranalysistemplates/${ref.templateName}`
          : `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysistemplates/${ref.templateName}`,
      );
      if (!('found' in t)) {
        out.push(
          t.status === 404
            ? {
                level: 'fail',
                message: `${kind} ${where} is missing: the analysis cannot start and the rollout aborts`,
              }
            : { level: 'warn', message: `cannot check ${kind} ${where}: reading it is forbidden (403)` },
        );
        continue;
      }
      const args = new Map<string, Arg>();
      for (const a of (t.found.spec as { args?: Arg[] } | undefined)?.args ?? []) args.set(a.name, a);
      for (const a of analysis.args ?? []) args.set(a.name, a);
      for (const a of args.values())
        out.push(...(await checkArg(kube, namespace, `${kind} ${where}`, a, opts)));
    }
  }
  if (checked.size === 0)
    out.push({ level: 'ok', message: `Rollout ${namespace}/${rollout} has no analysis to check` });
  return out;
}

async function checkArg(
  kube: Kube,
  namespace: string,
  template: string,
  a: Arg,
  opts: { probeTimeoutMs?: number },
): Promise<Finding[]> {
  const ref = a.valueFrom?.secretKeyRef;
  if (ref) {
    const secret = `Secret ${namespace}/${ref.name}`;
    const got = await kube.lookup(`/api/v1/namespaces/${namespace}/secrets/${ref.name}`);
    if ('found' in got) {
      const data = (got.found as { data?: Record<string, string> }).data ?? {};
      return data[ref.key]
        ? [{ level: 'ok', message: `${template} arg ${a.name}: ${secret} key ${ref.key} is there` }]
        : [
            {
              level: 'fail',
              message: `${template} arg ${a.name}: ${secret} has no key ${ref.key}; the analysis fails to resolve {{args.${a.name}}} and the rollout aborts`,
            },
          ];
    }
    if (got.status === 403)
      return [
        {
          level: 'warn',
          message: `${template} arg ${a.name}: cannot check ${secret} (reading Secrets is forbidden for you)`,
        },
      ];
    return [
      {
        level: 'fail',
        message:
          `${template} arg ${a.name}: ${secret} is missing, so the analysis fails to resolve {{args.${a.name}}} and the rollout aborts. ` +
          `./run.sh local creates it; else: kubectl -n ${namespace} create secret generic ${ref.name} --from-literal=${ref.key}=<the control center's JUDGE_TOKEN>`,
      },
    ];
  }
  if (a.valueFrom) return [];
  if (a.value === undefined)
    return [
      {
        level: 'fail',
        message: `${template} arg ${a.name} has no value (neither the template nor the Rollout sets it)`,
      },
    ];
  if (a.name === 'judge-url') return [await probeJudge(a.value, opts.probeTimeoutMs ?? 3000)];
  return [];
}

async function probeJudge(judgeUrl: string, timeoutMs: number): Promise<Finding> {
  let url: URL;
  try {
    url = new URL('/api/health', judgeUrl);
  } catch {
    return { level: 'fail', message: `judge-url ${JSON.stringify(judgeUrl)} is not a URL` };
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok)
      return { level: 'ok', message: `the judge at ${judgeUrl} answers (${url.pathname} ${res.status})` };
    return {
      level: 'fail',
      message: `the judge at ${judgeUrl} answers ${url.pathname} with HTTP ${res.status}: the analysis would error and the rollout abort`,
    };
  } catch (err) {
    const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    if (!LOOPBACK.test(url.hostname))
      return {
        level: 'warn',
        message: `cannot check the judge at ${judgeUrl} from here (${why}): it may be an in-cluster address`,
      };
    return {
      level: 'fail',
      message: `the judge at ${judgeUrl} does not answer (${why}): the analysis would error and the rollout abort. Start the control center (./run.sh local starts it with the lab)`,
    };
  }
}

/** The findings as printed before load starts; `refuse` when one of them means the analysis cannot work. */
export function formatPreflight(findings: Finding[]): { lines: string[]; refuse: boolean } {
  const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;
  return {
    lines: findings.map((f) => `  ${mark[f.level]}  ${f.message}`),
    refuse: findings.some((f) => f.level === 'fail'),
  };
}
