// Plain data and checks shared with the browser: no zod here, so client bundles stay small.

/** The actions `POST /api/v1/rollouts/{ns}/{name}/{action}` knows (anything else is 404). */
export const ACTION_NAMES = [
  'launch',
  'promote',
  'promote-full',
  'abort',
  'retry',
  'restart',
  'pause',
  'resume',
  'undo',
  'faults',
  'load',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];
export const isActionName = (s: string): s is ActionName => (ACTION_NAMES as readonly string[]).includes(s);
