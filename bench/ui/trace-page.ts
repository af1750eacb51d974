/**
 * Where a page's main-thread time goes: a Chromium trace of one open page, at rest and across pause / resume changes,
 * summed per kind of task and per script (function and source) on the renderer's main thread.
 *
 *   npx tsx bench/ui/trace-page.ts [--path /rollouts/demo/webapp] [--idle-ms 12000] [--changes 6] [--no-build]
 *                                  [--rollouts N] (N more Rollouts in 100 namespaces first) [--screenshot FILE]
 *                                  [--profile] (sampled CPU by the project's functions) [--heap] (sampled
 *                                  allocations of the changes by function, collected ones too) [--plain] (neither that
 *                                  nor invalidation tracking: the durations nearest to an untraced page) [--save FILE] (the changes' trace, and the
 *                                  one at rest as FILE.idle.json) [--tail-ms 0] (how long the changes' trace goes on
 *                                  after the last change) [--warm N] (N untraced changes first: a page with a
 *                                  history, as the bench's windows see it) [--rps N] (users' traffic through the
 *                                  gateway meanwhile, as bench:ui's rollout page has: its charts draw it) [--gap-ms 300]
 *                                  (after each change settled: 1500 lets the rollout page's timeline read follow each)
 *                                  [--floor OP] (the traced changes are render-floor.ts's operation OP instead, done
 *                                  directly in the page: where the browser's own time for it goes) [--css RULES]
 *                                  (added to the page after the warm changes: a style tried without a build)
 *
 * A `--profile` run that built with browser source maps removes `.next/BUILD_ID` at the end, so the next bench builds
 * again without them.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PATHS, patch, sleep } from '@control-center/lab/testing';
import { REPO_ROOT } from '../../support/testing/processes';
import { median } from '../loadgen/util';
import { launchBrowser, openLivePage, Session } from './browser';
import { type CallFrame, type ProfileNodes, profileByFunction, weightByFunction } from './cpu-profile';
import { settled } from './latency';
import { type PageTraffic, startPageTraffic } from './page-traffic';
import { FLOOR_INSTALL } from './render-floor';
import { seedNamespaces, seedRollouts } from './seed';
import { build, buildNeeded, log, startStack } from './stack';
import { mean } from './stats';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

const { values } = parseArgs({
  options: {
    path: { type: 'string', default: '/rollouts/demo/webapp' },
    'idle-ms': { type: 'string', default: '12000' },
    changes: { type: 'string', default: '6' },
    'no-build': { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    rollouts: { type: 'string', default: '0' },
    profile: { type: 'boolean', default: false },
    plain: { type: 'boolean', default: false },
    save: { type: 'string' },
    'tail-ms': { type: 'string', default: '0' },
    warm: { type: 'string', default: '0' },
    heap: { type: 'boolean', default: false },
    rps: { type: 'string', default: '0' },
    'gap-ms': { type: 'string', default: '300' },
    expand: { type: 'string', default: '' },
    floor: { type: 'string' },
    css: { type: 'string' },
  },
});

/** A node of V8's sampled heap profile (CDP HeapProfiler.stopSampling): what was allocated under that stack. */
interface HeapNode {
  id: number;
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

/** The sampled heap profile by the project's functions (source-mapped), inclusive, as lines to print. */
function heapByFunction(head: HeapNode): string[] {
  const nodes: ProfileNodes = new Map();
  const samples: Array<{ id: number; weight: number }> = [];
  const stack: Array<{ node: HeapNode; parent?: number }> = [{ node: head }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    nodes.set(next.node.id, { parent: next.parent, frame: next.node.callFrame });
    if (next.node.selfSize > 0) samples.push({ id: next.node.id, weight: next.node.selfSize });
    for (const c of next.node.children) stack.push({ node: c, parent: next.node.id });
  }
  const { total, lines } = weightByFunction(
    nodes,
    samples,
    path.join(REPO_ROOT, '.next'),
    30,
    [],
    (b) => `${(b / 1024).toFixed(0)} kB`,
  );
  return [
    `sampled allocations during the changes (collected ones too): ${(total / 1024).toFixed(0)} kB`,
    ...lines,
  ];
}

/** The parts of a render task summed per render (React's work runs in the frame's microtasks). */
const RENDER_PARTS = [
  'RunMicrotasks',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
];

/**
 * The page's renders: each task that ran an animation frame of at least 1 ms, its length and the parts of it, as
 * median and mean over the renders (a steadier figure than a window's whole main-thread time: no stream message, timer
 * or collection around it). Lines to print.
 */
function renders(on: TraceEvent[]): string[] {
  const outer = on.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const sorted = [...on].sort((a, b) => a.ts - b.ts);
  const rows: Array<Record<string, number>> = [];
  for (const t of outer) {
    const end = t.ts + (t.dur ?? 0);
    let lo = 0;
    for (let hi = sorted.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as TraceEvent).ts < t.ts) lo = mid + 1;
      else hi = mid;
    }
    const row: Record<string, number> = { task: (t.dur ?? 0) / 1000 };
    let frame = false;
    for (let i = lo; i < sorted.length && (sorted[i] as TraceEvent).ts <= end; i++) {
      const e = sorted[i] as TraceEvent;
      if (e === t || e.ts + (e.dur ?? 0) > end) continue;
      if (e.name === 'FireAnimationFrame' && (e.dur ?? 0) >= 1000) frame = true;
      if (RENDER_PARTS.includes(e.name)) row[e.name] = (row[e.name] ?? 0) + (e.dur ?? 0) / 1000;
    }
    if (frame) rows.push(row);
  }
  return [
    `${rows.length} renders (tasks with an animation frame of >= 1 ms): median / mean / max, ms`,
    ...['task', ...RENDER_PARTS].map((k) => {
      const v = rows.map((r) => r[k] ?? 0);
      return `  ${k.padEnd(18)} ${median(v).toFixed(2).padStart(6)} ${mean(v).toFixed(2).padStart(6)} ${Math.max(
        0,
        ...v,
      )
        .toFixed(2)
        .padStart(6)}`;
    }),
  ];
}

function summarise(events: TraceEvent[], label: string, spanMs: number): void {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error('no renderer main thread in the trace');
  const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = on.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
  const total = tasks.reduce((a, t) => a + (t.dur ?? 0), 0) / 1000;
  log(`${label}: ${tasks.length} tasks, ${total.toFixed(1)} ms of main thread in ${spanMs} ms`);
  const byName = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const e of on) {
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0));
    if (
      e.name === 'FunctionCall' ||
      e.name === 'TimerFire' ||
      e.name === 'EventDispatch' ||
      e.name === 'FireAnimationFrame'
    ) {
      const d = e.args?.data ?? {};
      const key = `${e.name} ${String(d.type ?? '')} ${String(d.functionName ?? '')} ${String(d.url ?? '').replace(/^.*\/_next\//, '')}:${String(d.lineNumber ?? '')}`;
      byScript.set(key, (byScript.get(key) ?? 0) + (e.dur ?? 0));
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n');
  console.log(`-- ${label}: by event (inclusive, nested events overlap)\n${top(byName, 25)}`);
  const t0 = Math.min(...tasks.map((t) => t.ts));
  const inside = (t: TraceEvent) =>
    on.filter(
      (e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0) && (e.dur ?? 0) >= 1000,
    );
  const big = [...tasks]
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 12)
    .sort((a, b) => a.ts - b.ts);
  for (const t of big) {
    const kids = inside(t)
      .map((e) => {
        const d = e.args?.data ?? {};
        const what = [
          d.type,
          d.functionName,
          d.url ? String(d.url).replace(/^.*\//, '') : '',
          d.timerId,
          d.frame ? '' : '',
        ]
          .filter((x) => x !== undefined && x !== '')
          .join(' ');
        return `${e.name}${what ? `(${what})` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
      })
      .join(' > ');
    console.log(
      `  task at +${((t.ts - t0) / 1000).toFixed(0)} ms: ${((t.dur ?? 0) / 1000).toFixed(1)} ms: ${kids}`,
    );
  }
  console.log(`-- ${label}: by script entry\n${top(byScript, 20)}`);
  console.log(`-- ${label}: ${renders(on).join('\n')}`);
  const inval = new Map<string, number>();
  for (const e of events) {
    if (!/Invalidation/.test(e.name)) continue;
    const d = (e.args?.data ?? {}) as Record<string, unknown>;
    const key = `${e.name} ${String(d.nodeName ?? '')} ${String(d.reason ?? '')}`;
    inval.set(key, (inval.get(key) ?? 0) + 1);
  }
  console.log(
    `-- ${label}: invalidations (count)\n${[...inval.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`)
      .join('\n')}`,
  );
}

/** Packages listed function by function in a `--profile` (`--expand next,@tanstack/query-core`). */
const expanded = values.expand ? values.expand.split(',') : [];

async function main() {
  // The sampled profile is read by the project's own functions: it needs the browser's source maps in the build.
  const chunks = path.join(REPO_ROOT, '.next/static/chunks');
  const mapped =
    existsSync(chunks) &&
    readdirSync(chunks)
      .filter((f) => f.endsWith('.js'))
      .every((f) => readFileSync(path.join(chunks, f), 'utf8').includes('sourceMappingURL='));
  const maps = values.profile || values.heap;
  if (maps && !mapped) process.env.NEXT_BROWSER_SOURCE_MAPS = '1';
  const withMaps = !values['no-build'] && maps && !mapped;
  if (!values['no-build'] && (buildNeeded() || withMaps)) await build();
  const stack = await startStack();
  const browser = await launchBrowser();
  let traffic: PageTraffic | null = null;
  try {
    const seeded = Number(values.rollouts);
    if (seeded > 0) {
      await seedNamespaces(stack.lab);
      await seedRollouts(stack.lab, 0, seeded);
      log(`seeded ${seeded} rollouts`);
    }
    const session = await Session.login(stack.url);
    const rps = Number(values.rps);
    traffic =
      rps > 0
        ? await startPageTraffic(stack.lab, stack.url, session.cookie, {
            rps,
            maxMs: 30 * 60_000,
            minPoints: 4,
          })
        : null;
    const page = await openLivePage(browser, session, values.path);
    await sleep(3000);
    const categories = [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8.execute',
      'blink.user_timing',
      'toplevel',
      // Invalidation tracking records a stack per DOM change, the profiler samples the stacks: each distorts the
      // other's figures, so one or the other.
      ...(values.profile
        ? ['disabled-by-default-v8.cpu_profiler', 'disabled-by-default-v8.cpu_profiler.hires']
        : values.plain
          ? []
          : ['disabled-by-default-devtools.timeline.invalidationTracking']),
    ];
    const idleMs = Number(values['idle-ms']);
    const floor = values.floor;
    const realChange = async (i: number) => {
      await patch(stack.lab, PATHS.rollout, { spec: { paused: i % 2 === 0 } });
      await settled(stack.lab, i % 2 === 0);
      await sleep(Number(values['gap-ms']));
    };
    const change = async (i: number) => {
      if (floor) {
        await page.evaluate(`window.__floor(${JSON.stringify(floor)})`);
        await sleep(Number(values['gap-ms']));
        return;
      }
      await realChange(i);
    };
    // The warm changes are real ones (a page with a history); with `--floor` the traced ones are its operation.
    for (let i = 0; i < Number(values.warm); i++) await realChange(i);
    if (floor) await page.evaluate(FLOOR_INSTALL);
    // A constructed sheet: the page's policy forbids inline styles, not sheets made from script.
    if (values.css)
      await page.evaluate((css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }, values.css);
    await browser.startTracing(page, { categories });
    await sleep(idleMs);
    const idleRaw = (await browser.stopTracing()).toString();
    if (values.save) writeFileSync(values.save.replace(/(\.json)?$/, '.idle.json'), idleRaw);
    const idle = JSON.parse(idleRaw) as { traceEvents: TraceEvent[] };
    summarise(idle.traceEvents, 'at rest', idleMs);
    if (values.profile)
      console.log(
        profileByFunction(idle.traceEvents, path.join(REPO_ROOT, '.next'), 60, expanded).join('\n'),
      );
    const changes = Number(values.changes);
    const cdp = values.heap ? await page.context().newCDPSession(page) : null;
    // With every sample kept (GC'd ones too), the allocations of the changes by function: what feeds the collector.
    await cdp?.send('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await browser.startTracing(page, { categories });
    const t0 = Date.now();
    for (let i = 0; i < changes; i++) await change(i);
    await sleep(Number(values['tail-ms']));
    const raw = (await browser.stopTracing()).toString();
    if (values.save) writeFileSync(values.save, raw);
    const changed = JSON.parse(raw) as { traceEvents: TraceEvent[] };
    summarise(changed.traceEvents, `${changes} changes`, Date.now() - t0);
    if (values.profile)
      console.log(
        profileByFunction(changed.traceEvents, path.join(REPO_ROOT, '.next'), 60, expanded).join('\n'),
      );
    if (cdp) {
      const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } };
      console.log(`-- ${changes} changes: allocated (sampled every 4 kB), by function`);
      console.log(heapByFunction(profile.head).join('\n'));
    }
    if (values.screenshot) await page.screenshot({ path: values.screenshot, fullPage: true });
  } finally {
    await traffic?.stop();
    await browser.close();
    await stack.stop();
    if (withMaps) {
      rmSync(path.join(REPO_ROOT, '.next/BUILD_ID'), { force: true });
      log('the build carried browser source maps: .next/BUILD_ID removed, the next bench builds again');
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
