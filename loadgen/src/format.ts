import type { Progress, Summary } from './types';

const f2 = (v: number): string => v.toFixed(2);
const f3 = (v: number): string => v.toFixed(3);

/** Human-readable, hey-like summary. */
export function formatSummary(s: Summary): string {
  const lines: string[] = [];
  const shape =
    s.mode === 'rate'
      ? `open loop, ${s.requestedRps} rps requested`
      : `closed loop, ${s.concurrency} concurrent workers`;
  lines.push('', 'Summary:');
  lines.push(`  Target:\t${s.method} ${s.target}`);
  lines.push(`  Mode:\t\t${shape}`);
  lines.push(`  Duration:\t${s.durationSeconds.toFixed(4)} secs (wall ${s.wallSeconds.toFixed(4)} secs)`);
  lines.push(`  Requests:\t${s.total} (ok ${s.ok}, failed ${s.failed})`);
  if (s.requestedRps !== null) lines.push(`  Requested:\t${f2(s.requestedRps)} rps`);
  lines.push(`  Achieved:\t${f2(s.achievedRps)} rps`);
  lines.push(`  Data:\t\t${s.bytesReceived} bytes received, ${s.bytesSent} bytes sent`);
  if (s.schedule) {
    const sc = s.schedule;
    lines.push(
      `  Schedule:\t${sc.planned} slots, ${sc.dropped} dropped (max in-flight), ${sc.late} late (>${sc.lateThresholdMs} ms), max lag ${f3(sc.maxLagMs)} ms`,
    );
  }
  if (s.interrupted) lines.push('  Interrupted:\tyes (stopped early by a signal)');

  lines.push('', 'Latency (ms):');
  if (s.latencyMs) {
    const l = s.latencyMs;
    lines.push(`  min\t${f3(l.min)}`, `  mean\t${f3(l.mean)}`, `  max\t${f3(l.max)}`);
    lines.push('', 'Latency distribution:');
    for (const [k, v] of [
      ['50', l.p50],
      ['90', l.p90],
      ['95', l.p95],
      ['99', l.p99],
    ] as const) {
      lines.push(`  ${k}% in ${f3(v)} ms`);
    }
  } else lines.push('  (no responses)');

  lines.push('', 'Status code distribution:');
  const codes = Object.entries(s.statusCodes);
  if (codes.length === 0) lines.push('  (none)');
  for (const [code, n] of codes) lines.push(`  [${code}]\t${n} responses`);

  const errs = Object.entries(s.errors);
  if (errs.length > 0) {
    lines.push('', 'Error distribution:');
    for (const [kind, n] of errs) lines.push(`  [${n}]\t${kind}`);
  }

  const versions = Object.entries(s.versions);
  if (versions.length > 0) {
    lines.push('', 'Versions (JSON body field "version"):');
    for (const [v, n] of versions) {
      const pv = s.perVersion?.[v];
      const extra = pv?.latencyMs ? `\tp50 ${f3(pv.latencyMs.p50)} ms, p99 ${f3(pv.latencyMs.p99)} ms` : '';
      lines.push(`  [${v}]\t${n} responses${pv ? `, ${pv.failed} failed` : ''}${extra}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

export function formatProgress(p: Progress): string {
  return `[${p.elapsedSeconds.toFixed(1).padStart(6)}s] sent ${p.sent} ok ${p.ok} errors ${p.errors} inflight ${p.inflight} rps ${p.currentRps.toFixed(1)}${p.dropped > 0 ? ` dropped ${p.dropped}` : ''}`;
}
