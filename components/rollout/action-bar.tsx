'use client';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { imageSuggestion } from '@/lib/rollout/image-suggestion';
import type { RolloutView } from '@/lib/rollout/rollout-view';
import { imageProblem } from '@/lib/schemas/image-reference';
import { Button } from '../ui/button';
import { useToast } from '../ui/toast';
import { useActionReason } from './identity-access';
import type { RolloutActions } from './use-rollout-actions';

/** What the panel shows of the view (it renders again only when these change). */
export type ActionView = Pick<
  RolloutView,
  'namespace' | 'name' | 'allowedActions' | 'stableImage' | 'canaryImage' | 'steps' | 'revisions'
>;

const stateReason = (c: { ok: boolean; reason: string | null }) =>
  c.ok ? null : (c.reason ?? 'not allowed now');
const isTyping = (t: EventTarget | null) => {
  const el = t as HTMLElement | null;
  return Boolean(el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)));
};

/**
 * Launch canary (validated image), Promote, Promote full, Pause/Resume, Abort, Retry, Restart, Undo ▾. Disabled
 * buttons say why; abort, promote full and undo ask first; keyboard `p` promotes, `a` aborts (after confirming).
 */
export function ActionBar({ view, actions }: { view: ActionView; actions: RolloutActions }) {
  const { run, ask, busy } = actions;
  const toast = useToast();
  const a = view.allowedActions;
  const accessReason = useActionReason(view.namespace);
  // The role's reason first, then the service account's (the user can do nothing about either), then the rollout's.
  const reasonOf = (c: { ok: boolean; reason: string | null }, action: string) =>
    accessReason(action) ?? stateReason(c);
  const who = `${view.namespace}/${view.name}`;
  const [image, setImage] = useState('');
  const [imageError, setImageError] = useState<string | null>(null);
  const errorId = useId();
  const undoRef = useRef<HTMLDetailsElement>(null);

  const askAbort = () =>
    ask({
      title: `Abort the canary of ${who}?`,
      body: (
        <>
          All traffic goes back to the stable version <code>{view.stableImage ?? ''}</code> and the canary
          scales down. The rollout stays Degraded until you retry or undo.
        </>
      ),
      confirmLabel: `Abort ${view.name}`,
      danger: true,
      onConfirm: () => void run('abort', {}, `Abort ${who}`),
    });

  const latest = useRef({ a, askAbort, run, who, toast, accessReason });
  latest.current = { a, askAbort, run, who, toast, accessReason };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector('dialog[open]'))
        return;
      const l = latest.current;
      if (e.key === 'p') {
        e.preventDefault();
        const why = l.accessReason('promote') ?? (l.a.promote.ok ? null : (l.a.promote.reason ?? 'not now'));
        if (!why) void l.run('promote', {}, `Promote ${l.who}`);
        else l.toast({ title: 'Cannot promote', message: why, tone: 'paused' });
      } else if (e.key === 'a') {
        e.preventDefault();
        const why = l.accessReason('abort') ?? (l.a.abort.ok ? null : (l.a.abort.reason ?? 'not now'));
        if (!why) l.askAbort();
        else l.toast({ title: 'Cannot abort', message: why, tone: 'paused' });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const launch = (e: FormEvent) => {
    e.preventDefault();
    const problem = imageProblem(image);
    if (problem) {
      setImageError(`Image ${problem}`);
      return;
    }
    setImageError(null);
    const img = image.trim();
    ask({
      title: `Launch a canary of ${who}?`,
      body: (
        <>
          Sets the image to <code>{img}</code>; the canary steps start (
          {view.steps[0]?.label ?? 'no steps: full rollout'}).
        </>
      ),
      confirmLabel: 'Launch canary',
      onConfirm: () =>
        void run('launch', { image: img }, `Launch ${img}`).then((ok) => {
          if (ok) setImage('');
        }),
    });
  };

  const current = view.revisions.find((r) => r.isCanary) ?? view.revisions.find((r) => r.isStable);
  const undoTargets = view.revisions.filter((r) => r !== current);
  // Same registry and repository as what runs now (localhost:5001/… on kind, a bare name in the lab).
  const suggestion = imageSuggestion(view.canaryImage ?? view.stableImage, view.revisions);
  const candidatesId = useId();

  return (
    <section aria-label="Actions" className="flex flex-wrap items-start gap-2">
      <form onSubmit={launch} className="flex items-start gap-2" noValidate>
        <div>
          <label htmlFor="launch-image" className="sr-only">
            Canary image
          </label>
          <input
            id="launch-image"
            value={image}
            onChange={(e) => setImage(e.target.value)}
            placeholder={suggestion.placeholder ? `image, e.g. ${suggestion.placeholder}` : 'image'}
            list={suggestion.candidates.length > 0 ? candidatesId : undefined}
            aria-invalid={imageError ? true : undefined}
            aria-describedby={imageError ? errorId : undefined}
            disabled={!a.launch.ok || accessReason('launch') !== null}
            className="w-52 rounded-md border border-zinc-300 bg-white px-2 py-1.5 font-mono text-sm aria-invalid:border-degraded dark:border-zinc-700 dark:bg-zinc-900"
          />
          {suggestion.candidates.length > 0 ? (
            <datalist id={candidatesId}>
              {suggestion.candidates.map((img) => (
                <option key={img} value={img} />
              ))}
            </datalist>
          ) : null}
          {imageError ? (
            <p id={errorId} className="mt-1 max-w-72 text-xs text-degraded">
              {imageError}
            </p>
          ) : null}
        </div>
        <Button
          type="submit"
          variant="primary"
          disabledReason={reasonOf(a.launch, 'launch')}
          disabled={busy !== null}
        >
          Launch canary
        </Button>
      </form>
      <span aria-hidden="true" className="mx-1 h-8 w-px bg-zinc-200 dark:bg-zinc-800" />
      <Button
        disabledReason={reasonOf(a.promote, 'promote')}
        disabled={busy !== null}
        aria-keyshortcuts="p"
        onClick={() => void run('promote', {}, `Promote ${who}`)}
      >
        Promote
      </Button>
      <Button
        disabledReason={reasonOf(a.promoteFull, 'promote-full')}
        disabled={busy !== null}
        onClick={() =>
          ask({
            title: `Promote ${who} fully?`,
            body: <>Skips every remaining step and analysis: the canary gets 100 % of traffic now.</>,
            confirmLabel: `Promote ${view.name} fully`,
            danger: true,
            onConfirm: () => void run('promote-full', {}, `Promote full ${who}`),
          })
        }
      >
        Promote full
      </Button>
      {a.pause.ok ? (
        <Button
          disabledReason={accessReason('pause')}
          disabled={busy !== null}
          onClick={() => void run('pause', {}, `Pause ${who}`)}
        >
          Pause
        </Button>
      ) : (
        <Button
          disabledReason={reasonOf(a.resume, 'resume')}
          disabled={busy !== null}
          onClick={() => void run('resume', {}, `Resume ${who}`)}
        >
          Resume
        </Button>
      )}
      <Button
        variant="danger"
        disabledReason={reasonOf(a.abort, 'abort')}
        disabled={busy !== null}
        aria-keyshortcuts="a"
        onClick={askAbort}
      >
        Abort
      </Button>
      <Button
        disabledReason={reasonOf(a.retry, 'retry')}
        disabled={busy !== null}
        onClick={() => void run('retry', {}, `Retry ${who}`)}
      >
        Retry
      </Button>
      <Button
        disabledReason={reasonOf(a.restart, 'restart')}
        disabled={busy !== null}
        onClick={() => void run('restart', {}, `Restart ${who}`)}
      >
        Restart
      </Button>
      {a.undo.ok && undoTargets.length && !accessReason('undo') ? (
        <details ref={undoRef} className="relative">
          <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
            Undo ▾
          </summary>
          <ul className="absolute right-0 z-20 mt-1 w-72 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
            {undoTargets.map((r) => (
              <li key={r.podHash || r.revision}>
                <button
                  type="button"
                  className="w-full rounded px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  onClick={() => {
                    if (undoRef.current) undoRef.current.open = false;
                    ask({
                      title: `Undo ${who} to revision ${r.revision}?`,
                      body: (
                        <>
                          Rolls the template back to <code>{r.images.join(', ')}</code> (revision {r.revision}
                          ); a new rollout of that version starts.
                        </>
                      ),
                      confirmLabel: `Undo to revision ${r.revision}`,
                      danger: true,
                      onConfirm: () => void run('undo', { revision: r.revision }, `Undo ${who}`),
                    });
                  }}
                >
                  revision {r.revision} · <span className="font-mono text-xs">{r.images.join(', ')}</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : (
        <Button disabledReason={reasonOf(a.undo, 'undo') ?? 'no other revision to go back to'}>Undo ▾</Button>
      )}
    </section>
  );
}
