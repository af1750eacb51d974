import type { Role } from '../auth/roles';
import type { Rollout } from '../rollout/kube-types';
import { type ApiPermission, configMap, jobs, replicaSets, rollouts } from './permissions';
import { isPaused, stepWaiting, updateInProgress } from './rollout-state';

/**
 * THE ACTION CATALOGUE: one entry per action the control center can take on a rollout. The route, the action bar,
 * the keyboard shortcuts, the role policy, the service-account check and the audit all read it. This part is plain
 * data and checks (no zod), so the browser can take it; the body schemas are in lib/schemas/actions.ts and the pure
 * plans (the exact Kubernetes requests) in ./plans.ts, both keyed by the same names.
 */

export interface ActionCheck {
  ok: boolean;
  reason: string | null;
}

/** What the rollout page knows when it asks for confirmation (and names the action in a toast). */
export interface ActionSubject {
  namespace: string;
  name: string;
  stableImage?: string | null;
  /** The first canary step as people read it ("setWeight 20"), if any. */
  firstStep?: string | null;
  /** launch: the image asked for. */
  image?: string;
  /** undo: the revision to go back to and its images. */
  revision?: { revision: number; images: string[] };
}

/** A confirmation: plain text, `{code}` parts shown as code. */
export interface Confirmation {
  title: string;
  body: Array<string | { code: string }>;
  confirmLabel: string;
  danger: boolean;
}

/** What `allowed` needs besides the rollout. */
export interface RolloutFacts {
  /** How many ReplicaSet revisions besides the current one exist (for undo). */
  otherRevisions: number;
}

export interface ActionEntry {
  /** The button's accessible name. */
  label: string;
  /** Past tense for the audit and the timeline ("alice promoted webapp"). */
  past: string;
  /** A one-key shortcut on the rollout page (ignored while typing, with a modifier, or with a dialog open). */
  hotkey?: string;
  /** The least role that may run it. */
  role: Role;
  /** The Kubernetes API requests it makes, as an access review asks about them (the control center's own identity). */
  permissions: readonly ApiPermission[];
  /** Whether it makes sense for this rollout now and, if not, why (the reason a disabled button and a 409 give). */
  allowed: (ro: Rollout, facts: RolloutFacts) => ActionCheck;
  /**
   * `refuse`: the server answers 409 with `allowed`'s reason before planning. `plan`: the plan decides (pause and
   * resume are idempotent as in kubectl-argo-rollouts; the others need objects besides the rollout).
   */
  guard: 'refuse' | 'plan';
  /** Asks before it runs; null: runs at once. */
  confirm: ((s: ActionSubject) => Confirmation) | null;
  /**
   * A plain button of the action bar, in `order`, shown when `showIf` holds; absent: not a plain button. `order` is
   * also its slot: actions sharing one (Pause, Resume) show one at a time, as the same button.
   */
  button?: {
    order: number;
    danger?: boolean;
    showIf?: (allowed: Readonly<Record<string, ActionCheck>>) => boolean;
  };
  /** Part of a rollout's view (`allowedActions`): decided by the rollout alone. */
  inView: boolean;
}

const yes: ActionCheck = { ok: true, reason: null };
const no = (reason: string): ActionCheck => ({ ok: false, reason });
const always = (): ActionCheck => yes;
const NO_STATUS = 'the controller has not reported a status yet';
const ABORTED = 'the rollout is aborted: retry or undo first';
const isAborted = (ro: Rollout): boolean => ro.status?.abort === true;
const hasStatus = (ro: Rollout): boolean => ro.status?.currentPodHash !== undefined;
const who = (s: ActionSubject): string => `${s.namespace}/${s.name}`;

const CATALOGUE = {
  launch: {
    label: 'Launch canary',
    past: 'launched',
    role: 'operator',
    permissions: [rollouts('get'), rollouts('update')],
    allowed: (ro) =>
      (ro.spec?.template?.spec?.containers ?? []).length > 0 ? yes : no('the rollout has no containers'),
    guard: 'plan',
    confirm: (s) => ({
      title: `Launch a canary of ${who(s)}?`,
      body: [
        'Sets the image to ',
        { code: s.image ?? '' },
        `; the canary steps start (${s.firstStep ?? 'no steps: full rollout'}).`,
      ],
      confirmLabel: 'Launch canary',
      danger: false,
    }),
    inView: true,
  },
  promote: {
    label: 'Promote',
    past: 'promoted',
    hotkey: 'p',
    role: 'operator',
    permissions: [rollouts('patch', 'status'), rollouts('patch')],
    allowed: (ro) =>
      isAborted(ro)
        ? no(ABORTED)
        : isPaused(ro) || stepWaiting(ro)
          ? yes
          : no('nothing is paused and no step is waiting'),
    guard: 'refuse',
    confirm: null,
    button: { order: 1 },
    inView: true,
  },
  'promote-full': {
    label: 'Promote full',
    past: 'fully promoted',
    role: 'operator',
    permissions: [rollouts('patch', 'status'), rollouts('patch')],
    allowed: (ro) =>
      isAborted(ro)
        ? no(ABORTED)
        : updateInProgress(ro)
          ? yes
          : no(hasStatus(ro) ? 'already fully promoted' : NO_STATUS),
    guard: 'refuse',
    confirm: (s) => ({
      title: `Promote ${who(s)} fully?`,
      body: ['Skips every remaining step and analysis: the canary gets 100 % of traffic now.'],
      confirmLabel: `Promote ${s.name} fully`,
      danger: true,
    }),
    button: { order: 2 },
    inView: true,
  },
  abort: {
    label: 'Abort',
    past: 'aborted',
    hotkey: 'a',
    role: 'operator',
    permissions: [rollouts('patch', 'status')],
    allowed: (ro) =>
      isAborted(ro)
        ? no('already aborted')
        : updateInProgress(ro)
          ? yes
          : no(hasStatus(ro) ? 'healthy with nothing in progress' : NO_STATUS),
    guard: 'refuse',
    confirm: (s) => ({
      title: `Abort the canary of ${who(s)}?`,
      body: [
        'All traffic goes back to the stable version ',
        { code: s.stableImage ?? '' },
        ' and the canary scales down. The rollout stays Degraded until you retry or undo.',
      ],
      confirmLabel: `Abort ${s.name}`,
      danger: true,
    }),
    button: { order: 4, danger: true },
    inView: true,
  },
  retry: {
    label: 'Retry',
    past: 'retried',
    role: 'operator',
    permissions: [rollouts('patch', 'status')],
    allowed: (ro) => (isAborted(ro) ? yes : no('not aborted')),
    guard: 'refuse',
    confirm: null,
    button: { order: 5 },
    inView: true,
  },
  restart: {
    label: 'Restart',
    past: 'restarted',
    role: 'operator',
    permissions: [rollouts('patch')],
    allowed: always,
    guard: 'plan',
    confirm: null,
    button: { order: 6 },
    inView: true,
  },
  pause: {
    label: 'Pause',
    past: 'paused',
    role: 'operator',
    permissions: [rollouts('patch')],
    allowed: (ro) => (ro.spec?.paused === true ? no('already paused') : yes),
    guard: 'plan',
    confirm: null,
    button: { order: 3, showIf: (a) => a.pause?.ok === true },
    inView: true,
  },
  resume: {
    label: 'Resume',
    past: 'resumed',
    role: 'operator',
    permissions: [rollouts('patch')],
    allowed: (ro) => (ro.spec?.paused === true ? yes : no('not paused')),
    guard: 'plan',
    confirm: null,
    button: { order: 3, showIf: (a) => a.pause?.ok !== true },
    inView: true,
  },
  undo: {
    label: 'Undo',
    past: 'rolled back (undo)',
    role: 'operator',
    permissions: [replicaSets('list'), rollouts('patch')],
    allowed: (_ro, facts) => (facts.otherRevisions > 0 ? yes : no('no other revision to go back to')),
    guard: 'plan',
    confirm: (s) => ({
      title: `Undo ${who(s)} to revision ${s.revision?.revision}?`,
      body: [
        'Rolls the template back to ',
        { code: (s.revision?.images ?? []).join(', ') },
        ` (revision ${s.revision?.revision}); a new rollout of that version starts.`,
      ],
      confirmLabel: `Undo to revision ${s.revision?.revision}`,
      danger: true,
    }),
    inView: true,
  },
  faults: {
    label: 'Apply faults',
    past: 'changed faults of',
    role: 'operator',
    permissions: [configMap('get'), configMap('patch')],
    allowed: always,
    guard: 'plan',
    confirm: null,
    inView: false,
  },
  load: {
    label: 'Load',
    past: 'started/stopped load on',
    role: 'operator',
    permissions: [jobs('list'), jobs('create'), jobs('delete')],
    allowed: always,
    guard: 'plan',
    confirm: null,
    inView: false,
  },
} as const satisfies Record<string, ActionEntry>;

export type ActionName = keyof typeof CATALOGUE;
/** Every action, in catalogue order; `POST /api/v1/rollouts/{ns}/{name}/{action}` knows these (others are 404). */
export const ACTION_NAMES = Object.keys(CATALOGUE) as ActionName[];
export const ACTIONS: Readonly<Record<ActionName, ActionEntry>> = CATALOGUE;
export const isActionName = (s: string): s is ActionName => Object.hasOwn(CATALOGUE, s);

/** The actions a rollout's view reports on (decided by the rollout alone). */
export type RolloutActionName = {
  [K in ActionName]: (typeof CATALOGUE)[K]['inView'] extends true ? K : never;
}[ActionName];
export const ROLLOUT_ACTIONS = ACTION_NAMES.filter((n) => ACTIONS[n].inView) as RolloutActionName[];
export type AllowedActions = Record<RolloutActionName, ActionCheck>;

/** Which actions make sense now and, if not, why (the reasons the API gives with 409 and the UI shows). */
export function allowedActions(ro: Rollout, facts: RolloutFacts): AllowedActions {
  return Object.fromEntries(ROLLOUT_ACTIONS.map((n) => [n, ACTIONS[n].allowed(ro, facts)])) as AllowedActions;
}

/** The plain buttons of the action bar, in order. */
export const BUTTON_ACTIONS = ROLLOUT_ACTIONS.filter((n) => ACTIONS[n].button !== undefined).sort(
  (a, b) => (ACTIONS[a].button?.order ?? 0) - (ACTIONS[b].button?.order ?? 0),
);

/** The action's title in a toast: "Promote demo/webapp", "Launch webapp:v2". */
export const actionTitle = (name: ActionName, s: ActionSubject): string =>
  name === 'launch' && s.image ? `Launch ${s.image}` : `${ACTIONS[name].label} ${who(s)}`;

/** The action of a one-key shortcut, if any. */
export const actionOfHotkey = (key: string): ActionName | undefined =>
  ACTION_NAMES.find((n) => ACTIONS[n].hotkey === key);
