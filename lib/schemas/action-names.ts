// The action names, from the action catalogue (plain data shared with the browser: no zod here).
export { ACTION_NAMES, type ActionName, isActionName } from '../actions/catalogue';
