/**
 * A container's env names, checked as the Kubernetes API server checks them (v1.32, RelaxedEnvironmentVariableValidation
 * on by default): set, printable ASCII, no `=` (a name with `=` would set another variable in the process).
 */
import type { Cause } from './validate-common';

const ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

export function checkEnvNames(container: Record<string, unknown>, field: string, out: Cause[]): void {
  const env = Array.isArray(container.env) ? container.env : [];
  env.forEach((e: unknown, i) => {
    const f = `${field}.env[${i}].name`;
    const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
    if (typeof name !== 'string' || !name) out.push({ field: f, message: 'Required value' });
    else if (!ENV_NAME.test(name))
      out.push({
        field: f,
        message: `Invalid value: ${JSON.stringify(name)}: a valid environment variable name must consist only of printable ASCII characters other than '='`,
      });
  });
}
