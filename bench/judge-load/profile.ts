/**
 * Where the control center's CPU goes: a V8 `.cpuprofile` (node --cpu-prof) reduced to time by area, self and
 * inclusive, and the top functions, idle excluded. The server chunks of a production build are minified: positions
 * are mapped back to the sources (app files, node_modules packages) through the build's own source maps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  /** Non-idle seconds sampled (wall time on the JS thread; on a busy machine it includes waiting for a core). */
  nonIdleSeconds: number;
  /** Share of busy time by area, self time (where the CPU was) and inclusive (somewhere on the stack). */
  areas: Array<{ area: string; selfShare: number; inclusiveShare: number }>;
  /** Top functions by self time. */
  top: Array<{ fn: string; where: string; share: number }>;
  /** Share of busy time by what the call was doing, from the areas on each sample's stack (first rule that matches). */
  activities: Array<{ activity: string; share: number }>;
}

/** Activities of a judge call, by the areas on a sample's stack; the first match wins. */
const ACTIVITIES: Array<[string, (areas: Set<string>) => boolean]> = [
  ['garbage collection', (a) => a.has('garbage collection')],
  ['judge maths (lib/slo)', (a) => a.has('lib/slo') || a.has('@stdlib')],
  [
    'Kubernetes reads (client-node, node-fetch, TLS to the API server)',
    (a) =>
      a.has('@kubernetes/client-node') || a.has('node-fetch') || a.has('node tls') || a.has('node https'),
  ],
  [
    'Prometheus queries (undici fetch, JSON, zod; samples built in server/metrics)',
    (a) => a.has('undici (fetch)') || a.has('server/metrics'),
  ],
  ['gzip (Prometheus answers in, judge answers out)', (a) => a.has('node zlib')],
  ['decision timeline (SQLite)', (a) => a.has('server/audit') || a.has('better-sqlite3')],
  [
    'judge route and server/slo (own code)',
    (a) => a.has('server/slo') || a.has('app/api') || a.has('server/auth'),
  ],
  ['Next.js request handling', (a) => a.has('next')],
];

interface Frame {
  area: string;
  fn: string;
}

/** Maps minified positions of `.next` chunks to their sources; caches one SourceMap per chunk. */
class Resolver {
  private maps = new Map<string, { map: SourceMap; content: Map<string, string[]> } | null>();

  resolve(url: string, line: number, col: number, name: string): Frame {
    if (name === '(garbage collector)') return { area: 'garbage collection', fn: name };
    if (name === '(program)') return { area: 'V8 / native (program)', fn: name };
    if (!url) return { area: 'native', fn: name || '(native)' };
    if (url.startsWith('node:'))
      return { area: nodeArea(url), fn: `${name || '(anonymous)'} ${url}:${line + 1}` };
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    if (file.includes('/.next/')) {
      const m = this.mapOf(file);
      const e = m?.map.findEntry(line, col) as
        | { originalSource?: string; originalLine?: number; name?: string }
        | undefined;
      if (m && e?.originalSource) {
        const src = e.originalSource.replace(/^(\.\.\/)+/, '').replace(/^turbopack:\/\/\/\[project\]\//, '');
        const text = (m.content.get(e.originalSource)?.[e.originalLine ?? 0] ?? '').trim().slice(0, 70);
        return {
          area: sourceArea(src),
          fn: `${src}:${(e.originalLine ?? 0) + 1} ${text || e.name || name}`,
        };
      }
    }
    return {
      area: sourceArea(file),
      fn: `${name || '(anonymous)'} ${file.split('/').slice(-2).join('/')}:${line + 1}`,
    };
  }

  private mapOf(file: string) {
    if (!this.maps.has(file)) {
      let v: { map: SourceMap; content: Map<string, string[]> } | null = null;
      try {
        if (existsSync(`${file}.map`)) {
          const raw = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as {
            sources?: string[];
            sourcesContent?: Array<string | null>;
          };
          const content = new Map<string, string[]>();
          (raw.sources ?? []).forEach((s, i) => {
            const c = raw.sourcesContent?.[i];
            if (c) content.set(s, c.split('\n'));
          });
          v = { map: new SourceMap(raw as never), content };
        }
      } catch {
        v = null;
      }
      this.maps.set(file, v);
    }
    return this.maps.get(file) ?? null;
  }
}

function nodeArea(url: string): string {
  if (url.startsWith('node:internal/deps/undici')) return 'undici (fetch)';
  if (/^node:(internal\/)?_?tls|^node:internal\/tls/.test(url)) return 'node tls';
  if (url.startsWith('node:internal/streams') || url.startsWith('node:stream')) return 'node streams';
  const m = /^node:(?:internal\/)?([^/]+)/.exec(url);
  return `node ${m?.[1] ?? url}`;
}

function sourceArea(raw: string): string {
  const src = decodeURIComponent(raw);
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(src);
  if (m) return m[1] ?? 'node_modules';
  const parts = src.split('/');
  // App sources by folder: server/slo, server/metrics, lib/slo, app/api, ...
  return parts.length > 2 ? parts.slice(0, 2).join('/') : src;
}

export function summarizeProfile(file: string): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  const self = new Map<number, number>();
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const resolver = new Resolver();
  const frames = new Map<number, Frame>();
  const frameOf = (id: number): Frame => {
    let f = frames.get(id);
    if (!f) {
      const c = byId.get(id)?.callFrame;
      f = c ? resolver.resolve(c.url, c.lineNumber, c.columnNumber, c.functionName) : { area: '?', fn: '?' };
      // A native function (no script) belongs to the JavaScript that called it: zlib's write, TLS' addCACert.
      const up = parent.get(id);
      if (f.area === 'native' && up !== undefined && byId.get(up)?.callFrame.functionName !== '(root)')
        f = { area: frameOf(up).area, fn: `${f.fn} (native, from ${frameOf(up).area})` };
      frames.set(id, f);
    }
    return f;
  };

  let busy = 0;
  const selfArea = new Map<string, number>();
  const inclArea = new Map<string, number>();
  const fns = new Map<string, { area: string; us: number }>();
  const activities = new Map<string, number>();
  for (const [id, us] of self) {
    const name = byId.get(id)?.callFrame.functionName;
    if (name === '(idle)' || name === '(root)' || us <= 0) continue;
    busy += us;
    const f = frameOf(id);
    selfArea.set(f.area, (selfArea.get(f.area) ?? 0) + us);
    const entry = fns.get(f.fn) ?? { area: f.area, us: 0 };
    entry.us += us;
    fns.set(f.fn, entry);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)?.callFrame.functionName === '(root)') break;
      const a = frameOf(cur).area;
      if (!seen.has(a)) {
        seen.add(a);
        inclArea.set(a, (inclArea.get(a) ?? 0) + us);
      }
    }
    const activity =
      ACTIVITIES.find(([, match]) => match(seen))?.[0] ??
      'other (sockets, streams, promise and async-hook machinery)';
    activities.set(activity, (activities.get(activity) ?? 0) + us);
  }
  const share = (us: number) => Math.round((1000 * us) / Math.max(1, busy)) / 10;
  return {
    nonIdleSeconds: Math.round(busy / 1e4) / 100,
    areas: [...inclArea.entries()]
      .sort((a, b) => (selfArea.get(b[0]) ?? 0) - (selfArea.get(a[0]) ?? 0) || b[1] - a[1])
      .slice(0, 25)
      .map(([area, us]) => ({ area, selfShare: share(selfArea.get(area) ?? 0), inclusiveShare: share(us) })),
    top: [...fns.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, 25)
      .map(([fn, f]) => ({ fn, where: f.area, share: share(f.us) })),
    activities: [...activities.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([activity, us]) => ({ activity, share: share(us) })),
  };
}
