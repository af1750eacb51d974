import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceMapConsumer } from 'source-map-js';

/** A trace event of Chromium's sampling profiler (`disabled-by-default-v8.cpu_profiler`). */
interface ProfileChunk {
  name: string;
  id?: string;
  args?: {
    data?: {
      cpuProfile?: {
        nodes?: Array<{ id: number; parent?: number; callFrame: CallFrame }>;
        samples?: number[];
      };
      timeDeltas?: number[];
    };
  };
}
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/**
 * Where the sampled main-thread time went, by the project's own functions: every sample counts once for each distinct
 * function of components/, lib/ or app/ on its stack (inclusive time), mapped back through the build's browser source
 * maps (`NEXT_BROWSER_SOURCE_MAPS=1`); frames of libraries count under their package. Returns lines to print.
 */
export function profileByFunction(
  events: ProfileChunk[],
  nextDir: string,
  top = 30,
  /** Packages whose functions are listed one by one (self time), e.g. the framework's bundled react-dom. */
  expand: string[] = [],
): string[] {
  const nodes: ProfileNodes = new Map();
  const samples: Array<{ id: number; weight: number }> = [];
  for (const e of events) {
    if (e.name !== 'ProfileChunk') continue;
    const d = e.args?.data;
    for (const n of d?.cpuProfile?.nodes ?? []) nodes.set(n.id, { parent: n.parent, frame: n.callFrame });
    const ids = d?.cpuProfile?.samples ?? [];
    const deltas = d?.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++)
      samples.push({ id: ids[i] as number, weight: deltas[i + 1] ?? deltas[i] ?? 0 });
  }
  const { total, lines } = weightByFunction(
    nodes,
    samples,
    nextDir,
    top,
    expand,
    (us) => `${(us / 1000).toFixed(1)} ms`,
  );
  return [`sampled busy time ${(total / 1000).toFixed(1)} ms`, ...lines];
}

/** Profile nodes by id: each with its parent and its frame (a CPU profile's or a sampled heap profile's). */
export type ProfileNodes = Map<number, { parent?: number; frame: CallFrame }>;

/**
 * Sums weighted samples (microseconds of CPU, bytes allocated) by the project's own functions, inclusive: a sample
 * counts once for each distinct function of components/, lib/ or app/ on its stack, mapped back through the build's
 * browser source maps; frames of libraries count under their package. Returns the total and the top lines.
 */
export function weightByFunction(
  nodes: ProfileNodes,
  samples: Array<{ id: number; weight: number }>,
  nextDir: string,
  top: number,
  expand: string[],
  format: (weight: number) => string,
): { total: number; lines: string[] } {
  const maps = new Map<string, SourceMapConsumer | null>();
  const consumer = (url: string): SourceMapConsumer | null => {
    if (maps.has(url)) return maps.get(url) ?? null;
    const m = url.match(/\/_next\/(static\/.+\.js)$/);
    const js = m ? path.join(nextDir, m[1] as string) : '';
    // The map is named by the script's last line (Turbopack names it by its own hash).
    const ref =
      js && existsSync(js) ? readFileSync(js, 'utf8').match(/sourceMappingURL=(\S+)\s*$/)?.[1] : undefined;
    const file = ref ? path.join(path.dirname(js), ref) : '';
    const c = file && existsSync(file) ? new SourceMapConsumer(JSON.parse(readFileSync(file, 'utf8'))) : null;
    maps.set(url, c);
    return c;
  };
  const names = new Map<number, string | null>();
  const nameOf = (id: number): string | null => {
    if (names.has(id)) return names.get(id) ?? null;
    const f = nodes.get(id)?.frame;
    let name: string | null = null;
    if (f?.url) {
      const c = consumer(f.url);
      const pos = c?.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
      const src = pos?.source ?? '';
      const pkg = src.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
      if (pkg && expand.includes(pkg))
        name = `[${pkg}] ${src.replace(/^.*node_modules\//, '')}:${pos?.line} ${pos?.name ?? f.functionName}`;
      else if (pkg) name = `[${pkg}]`;
      else if (/(components|lib|app)\//.test(src))
        name = `${src.replace(/^.*?((components|lib|app)\/)/, '$1')}:${pos?.line} ${pos?.name ?? f.functionName}`;
    } else if (f && ['(garbage collector)', '(program)'].includes(f.functionName)) name = f.functionName;
    names.set(id, name);
    return name;
  };
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const s of samples) {
    if (nodes.get(s.id)?.frame.functionName === '(idle)') continue;
    total += s.weight;
    const seen = new Set<string>();
    for (let id: number | undefined = s.id; id !== undefined; id = nodes.get(id)?.parent) {
      const n = nameOf(id);
      if (n && !seen.has(n)) {
        seen.add(n);
        inclusive.set(n, (inclusive.get(n) ?? 0) + s.weight);
      }
    }
  }
  return {
    total,
    lines: [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${format(v).padStart(11)}  ${k}`),
  };
}
