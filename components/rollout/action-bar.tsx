'use client';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import {
  ACTIONS,
  type ActionCheck,
  type ActionName,
  type ActionSubject,
  actionOfHotkey,
  actionTitle,
  BUTTON_ACTIONS,
  type Confirmation,
} from '@/lib/actions/catalogue';
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

const stateReason = (c: ActionCheck | undefined) => (!c || c.ok ? null : (c.reason ?? 'not allowed now'));
const isTyping = (t: EventTarget | null) => {
  const el = t as HTMLElement | null;
  return Boolean(el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)));
};
const confirmBody = (c: Confirmation) =>
  c.body.map((part, i) =>
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence, never reordered
    typeof part === 'string' ? part : <code key={i}>{part.code}</code>,
  );

/**
 * The action bar, from the action catalogue (lib/actions/catalogue.ts): Launch canary (validated image), then each
 * plain button in the catalogue's order (Promote, Promote full, Pause/Resume, Abort, Retry, Restart), then Undo ▾.
 * Disabled buttons say why; actions with a confirmation ask first; the catalogue's hotkeys (`p` promotes, `a`
 * aborts after confirming) work wherever the user is not typing.
 */
export function ActionBar({ view, actions }: { view: ActionView; actions: RolloutActions }) {
  const { run, ask, busy } = actions;
  const toast = useToast();
  const a: Readonly<Record<string, ActionCheck>> = view.allowedActions;
  const accessReason = useActionReason(view.namespace);
  // The role's reason first, then the service account's (the user can do nothing about either), then the rollout's.
  const reasonOf = (action: ActionName) => accessReason(action) ?? stateReason(a[action]);
  const subject: ActionSubject = {
    namespace: view.namespace,
    name: view.name,
    stableImage: view.stableImage,
    firstStep: view.steps[0]?.label ?? null,
  };
  const [image, setImage] = useState('');
  const [imageError, setImageError] = useState<string | null>(null);
  const errorId = useId();
  const undoRef = useRef<HTMLDetailsElement>(null);

  /** Runs an action, asking first when its catalogue entry has a confirmation. */
  const trigger = (action: ActionName, body: object, s: ActionSubject, then?: (ok: boolean) => void) => {
    const go = () => void run(action, body, actionTitle(action, s)).then((ok) => then?.(ok));
    const confirm = ACTIONS[action].confirm?.(s);
    if (!confirm) return go();
    ask({ ...confirm, body: confirmBody(confirm), onConfirm: go });
  };

  const latest = useRef({ trigger, subject, reasonOf, toast });
  latest.current = { trigger, subject, reasonOf, toast };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector('dialog[open]'))
        return;
      const action = actionOfHotkey(e.key);
      if (!action) return;
      e.preventDefault();
      const l = latest.current;
      const why = l.reasonOf(action);
      if (!why) l.trigger(action, {}, l.subject);
      else l.toast({ title: `Cannot ${ACTIONS[action].label.toLowerCase()}`, message: why, tone: 'paused' });
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
    trigger('launch', { image: img }, { ...subject, image: img }, (ok) => {
      if (ok) setImage('');
    });
  };

  const current = view.revisions.find((r) => r.isCanary) ?? view.revisions.find((r) => r.isStable);
  const undoTargets = view.revisions.filter((r) => r !== current);
  // Same registry and repository as what runs now (localhost:5001/… on kind, a bare name in the lab).
  const suggestion = imageSuggestion(view.canaryImage ?? view.stableImage, view.revisions);
  const candidatesId = useId();

  return (
    // Painted on its own, above the panels that follow (`relative z-10`): its undo menu opens over them.
    <section aria-label="Actions" className="relative z-10 flex flex-wrap items-start gap-2">
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
            disabled={reasonOf('launch') !== null}
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
        <Button type="submit" variant="primary" disabledReason={reasonOf('launch')} disabled={busy !== null}>
          {ACTIONS.launch.label}
        </Button>
      </form>
      <span aria-hidden="true" className="mx-1 h-8 w-px bg-zinc-200 dark:bg-zinc-800" />
      {/* Keyed by the slot, not the action: Pause and Resume share one (one shows at a time), so a pause turns the
          same button into Resume, which keeps the user's focus, rather than removing one and inserting the other. */}
      {BUTTON_ACTIONS.filter((n) => ACTIONS[n].button?.showIf?.(a) ?? true).map((n) => (
        <Button
          key={`slot-${ACTIONS[n].button?.order}`}
          variant={ACTIONS[n].button?.danger ? 'danger' : 'default'}
          disabledReason={reasonOf(n)}
          busy={busy !== null}
          aria-keyshortcuts={ACTIONS[n].hotkey}
          onClick={() => trigger(n, {}, subject)}
        >
          {ACTIONS[n].label}
        </Button>
      ))}
      {undoTargets.length > 0 && reasonOf('undo') === null ? (
        <details ref={undoRef} className="relative">
          <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
            {`${ACTIONS.undo.label} ▾`}
          </summary>
          <ul className="absolute right-0 z-20 mt-1 w-72 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
            {undoTargets.map((r) => (
              <li key={r.podHash || r.revision}>
                <button
                  type="button"
                  className="w-full rounded px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  onClick={() => {
                    if (undoRef.current) undoRef.current.open = false;
                    const revision = { revision: r.revision, images: r.images };
                    trigger('undo', { revision: r.revision }, { ...subject, revision });
                  }}
                >
                  revision {r.revision} · <span className="font-mono text-xs">{r.images.join(', ')}</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : (
        <Button disabledReason={reasonOf('undo') ?? 'no other revision to go back to'}>
          {`${ACTIONS.undo.label} ▾`}
        </Button>
      )}
    </section>
  );
}
