/** A Kubernetes `Status` failure: what the API server answers and what store operations throw. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: Array<{ field?: string; message: string; reason?: string }>;
    },
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function what(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const notFound = (plural: string, group: string, name: string) =>
  new StatusError(404, 'NotFound', `${what(plural, group)} "${name}" not found`, {
    name,
    group,
    kind: plural,
  });

export const alreadyExists = (plural: string, group: string, name: string) =>
  new StatusError(409, 'AlreadyExists', `${what(plural, group)} "${name}" already exists`, {
    name,
    group,
    kind: plural,
  });

export const conflict = (plural: string, group: string, name: string) =>
  new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${what(plural, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: plural },
  );

export const gone = (message: string) => new StatusError(410, 'Expired', message);

export const badRequest = (message: string) => new StatusError(400, 'BadRequest', message);

/**
 * apierrors.NewInvalid: `<Kind>[.<group>] "<name>" is invalid: <causes>`; several causes are printed as Go prints an
 * aggregate (`[a, b]`). details.group is left out, so kubectl keeps printing `The <Kind> "<name>" is invalid`.
 */
export function invalid(
  kind: string,
  name: string,
  causes: Array<{ field: string; message: string }>,
  group = '',
): StatusError {
  const texts = causes.map((c) => `${c.field}: ${c.message}`);
  const text = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return new StatusError(
    422,
    'Invalid',
    `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${text}`,
    {
      name,
      ...(group ? { group } : {}),
      kind,
      causes: causes.map((c) => ({ field: c.field, message: c.message, reason: 'FieldValueInvalid' })),
    },
  );
}
