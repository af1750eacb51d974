import type { Page } from '@playwright/test';
import { ROLLOUT_OPS, ROLLOUT_WHAT } from './render-floor-rollout';
import { log } from './stack';
import { mean, summary } from './stats';
import { mainThreadCounters } from './thread-ticks';

/**
 * What the browser alone costs for what a page shows on a change: the same DOM operations done directly in the page
 * (no React, no stream, no script of ours beyond the operation), timed as `mainThreadPerChange` times a change
 * (Chromium's TaskDuration in thread ticks, from before the operation until two frames after it). `none` is the
 * measuring itself (a CDP call and two animation frames); `netP50Ms` is an operation's p50 less that of `none`. The
 * operations on the overview are the ones a pause shows there: the "Needs attention" table appears above "All
 * rollouts", and the rollout sorts in at the top of "All rollouts" (every row in view moves down one, the last goes);
 * the rollout page's are in render-floor-rollout.ts. Information beside the per-change figures: the part of a change's time no code of the page can save.
 */
export interface FloorOp {
  op: string;
  what: string;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  netP50Ms: number;
}

const WHAT: Record<string, string> = {
  none: 'nothing (the measuring itself)',
  text: "one text node's text (a heading's count, a badge's phase)",
  rowIn: 'a row sorted in at the top of "All rollouts": the rows in view move down one, the last leaves',
  attention: 'a "Needs attention" table with one row appears above "All rollouts" (or goes)',
  pause: 'both: what a pause shows on the overview',
  attentionRow: 'a row added to (or taken from) a "Needs attention" table that stays on the page',
  ...ROLLOUT_WHAT,
};

/**
 * Installed in the page as a string (not a bundled function: nothing of the bench's build runs in the page).
 * `window.__floor(op)` does or undoes `op` in an animation frame and resolves two frames later.
 */
export const FLOOR_INSTALL = `(() => {
  const tbody = document.querySelector('section[aria-labelledby="all-heading"] tbody');
  const text = document.querySelector('#all-heading') || document.querySelector('[data-testid="rollout-phase"]');
  const box = tbody ? tbody.closest('div') : null;
  const section = box ? box.closest('section') : null;
  const rows = () => Array.from(tbody.querySelectorAll('tr[data-testid]'));
  const state = { inserted: null, removed: null, removedNext: null, attention: null, text: null, kept: null, keptRow: null };
  const ops = {
    none() {},
    text() {
      if (state.text === null) { state.text = text.textContent; text.textContent = state.text.replace(/\\d/, (d) => String((Number(d) + 1) % 10)).replace(/Healthy/, 'Paused'); }
      else { text.textContent = state.text; state.text = null; }
    },
    rowIn() {
      if (state.inserted) {
        state.inserted.remove();
        tbody.insertBefore(state.removed, state.removedNext);
        state.inserted = null;
        return;
      }
      const all = rows();
      const first = all[0];
      const last = all[all.length - 1];
      const row = first.cloneNode(true);
      row.removeAttribute('data-testid');
      const a = row.querySelector('a');
      if (a) a.textContent = 'demo/webapp';
      tbody.insertBefore(row, first);
      state.inserted = row;
      state.removed = last;
      state.removedNext = last.nextSibling;
      last.remove();
    },
    attention() {
      if (state.attention) { state.attention.remove(); state.attention = null; return; }
      const s = document.createElement('section');
      s.className = section.className;
      const h = text.cloneNode(true);
      h.removeAttribute('id');
      h.textContent = 'Needs attention (1)';
      s.appendChild(h);
      const b = box.cloneNode(true);
      const tb = b.querySelector('tbody');
      Array.from(tb.children).slice(1).forEach((r) => r.remove());
      Array.from(b.querySelectorAll('[data-testid]')).forEach((e) => e.removeAttribute('data-testid'));
      s.appendChild(b);
      section.parentElement.insertBefore(s, section);
      state.attention = s;
    },
    pause() { ops.rowIn(); ops.attention(); },
    attentionRow() {
      if (!state.kept) {
        ops.attention();
        state.kept = state.attention;
        state.attention = null;
        state.keptRow = state.kept.querySelector('tbody').firstElementChild;
        return;
      }
      const tb = state.kept.querySelector('tbody');
      if (state.keptRow.isConnected) state.keptRow.remove();
      else tb.appendChild(state.keptRow);
    },
  };
  const rollout = (${ROLLOUT_OPS})();
  for (const k of Object.keys(rollout)) if (!(k in ops)) ops[k] = rollout[k];
  window.__floor = (op) => new Promise((resolve) => requestAnimationFrame(() => {
    ops[op]();
    requestAnimationFrame(() => setTimeout(resolve, 0));
  }));
})()`;

/**
 * Each of `ops` done and undone `rounds` times in turn (both count), 150 ms apart, after two untimed rounds; on a
 * page at rest. Leaves the page as it found it (every operation is undone), but the page's own renders should not
 * run meanwhile: measure after the per-change windows, and close the page after.
 */
export async function renderFloor(page: Page, ops: string[], rounds = 24): Promise<FloorOp[]> {
  await page.evaluate(FLOOR_INSTALL);
  const counters = await mainThreadCounters(page);
  const task = async () => (await counters.read()).task;
  try {
    const raw: Array<Omit<FloorOp, 'netP50Ms'>> = [];
    for (const op of ['none', ...ops.filter((o) => o !== 'none')]) {
      const samples: number[] = [];
      for (let i = 0; i < rounds + 2; i++) {
        await page.waitForTimeout(150);
        const t0 = await task();
        await page.evaluate(`window.__floor(${JSON.stringify(op)})`);
        const t1 = await task();
        if (i >= 2) samples.push(t1 - t0);
      }
      const s = summary(samples);
      raw.push({
        op,
        what: WHAT[op] ?? op,
        p50Ms: s.p50Ms,
        p95Ms: s.p95Ms,
        meanMs: mean(samples),
      });
    }
    const base = raw[0]?.p50Ms ?? 0;
    const out = raw.map((r) => ({ ...r, netP50Ms: r.op === 'none' ? 0 : r.p50Ms - base }));
    log(
      `browser alone on ${new URL(page.url()).pathname}: ${out
        .map(
          (r) =>
            `${r.op} p50 ${r.p50Ms.toFixed(1)} ms (net ${r.netP50Ms.toFixed(1)}), p95 ${r.p95Ms.toFixed(1)} ms`,
        )
        .join('; ')}`,
    );
    return out;
  } finally {
    await counters.detach();
  }
}
