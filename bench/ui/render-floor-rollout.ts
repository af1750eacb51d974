/**
 * The rollout page's operations for render-floor.ts: what a pause (or a resume) shows there, done directly in the DOM.
 * From the invalidations a traced change records (`trace-page` without `--plain`): the phase badge's word, colour and
 * title; the header's message line; the Pause button becoming Resume; the steps panel's "Paused: …" line; and the
 * change's own line sorted in at the top of the timeline (the list keeps its newest 100: the last goes when full).
 * Each operation undoes itself when run again.
 */
export const ROLLOUT_WHAT: Record<string, string> = {
  badge: "the phase badge's word, colour and title",
  line: 'a line sorted in at the top of the timeline (the last goes when it holds 100)',
  rolloutPause:
    "what a pause shows on the rollout page: the badge, the header message, Pause → Resume, the steps' pause line and the timeline line",
};

/** A function's source (run in the page, as render-floor.ts's INSTALL) returning the operations by name. */
export const ROLLOUT_OPS = `() => {
  const badge = document.querySelector('[data-testid="rollout-phase"]');
  const header = badge ? badge.closest('header') : null;
  const message = header ? header.querySelector(':scope > p:last-of-type') : null;
  const steps = document.querySelector('[data-testid="steps"]');
  const stepsLine = steps ? steps.parentElement.querySelector(':scope > p') : null;
  const list = document.querySelector('[data-testid="timeline"]');
  const button = Array.from(document.querySelectorAll('button')).find((b) => /^(Pause|Resume)$/.test(b.textContent.trim()));
  const need = (what, el) => { if (!el) throw new Error('render floor: no ' + what + ' on this page'); return el; };
  const swap = (a, b) => (s) => (s.includes(a) ? s.split(a).join(b) : s.split(b).join(a));
  const tone = swap('healthy', 'paused');
  const state = { line: null, dropped: null, droppedNext: null };
  const ops = {
    badge() {
      const b = need('phase badge', badge);
      b.className = tone(b.className);
      b.dataset.tone = tone(b.dataset.tone || '');
      const dot = b.firstElementChild;
      if (dot) dot.setAttribute('class', tone(dot.getAttribute('class') || ''));
      const word = b.lastChild;
      if (word && word.nodeType === 3) word.textContent = swap('Healthy', 'Paused')(word.textContent);
      b.title = b.title ? '' : 'manual pause';
    },
    line() {
      const ol = need('timeline', list);
      if (state.line) {
        state.line.remove();
        if (state.dropped) ol.insertBefore(state.dropped, state.droppedNext);
        state.line = state.dropped = null;
        return;
      }
      const first = need('timeline line', ol.firstElementChild);
      const li = first.cloneNode(true);
      li.dataset.kind = 'phase';
      const text = li.querySelector('.min-w-0 > span:nth-of-type(2)');
      if (text) text.textContent = 'Phase Paused: manual pause';
      ol.insertBefore(li, first);
      state.line = li;
      if (ol.children.length > 100) {
        state.dropped = ol.lastElementChild;
        state.droppedNext = state.dropped.nextSibling;
        state.dropped.remove();
      }
    },
    rolloutPause() {
      ops.badge();
      const m = need('header message', message);
      m.textContent = m.textContent ? '' : 'manual pause';
      const b = need('Pause button', button);
      b.textContent = swap('Pause', 'Resume')(b.textContent);
      const s = need('steps pause line', stepsLine);
      s.textContent = s.textContent ? '' : 'Paused: manual pause';
      ops.line();
    },
  };
  return ops;
}`;
