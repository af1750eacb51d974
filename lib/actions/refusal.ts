/**
 * An action refused for what the cluster holds (404 missing, 409 makes no sense now, 422 bad input): thrown by the
 * pure plans and the server's reads; the action route turns it into `{error: {code, message}}` with its status.
 */
export class ActionRefusal extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    readonly code: 'not_found' | 'conflict' | 'invalid_input',
    message: string,
  ) {
    super(message);
    this.name = 'ActionRefusal';
  }
}

export const conflict = (message: string): ActionRefusal => new ActionRefusal(409, 'conflict', message);
export const notFound = (message: string): ActionRefusal => new ActionRefusal(404, 'not_found', message);
export const invalid = (message: string): ActionRefusal => new ActionRefusal(422, 'invalid_input', message);
