// Which actions make sense for a rollout now: the action catalogue's `allowed` checks, for the rollout's view.
export {
  type ActionCheck,
  type AllowedActions,
  allowedActions,
  ROLLOUT_ACTIONS,
  type RolloutActionName,
} from '../actions/catalogue';
export { isPaused, updateInProgress } from '../actions/rollout-state';
