import { bad, type Cause, isObj, type Obj } from './validate-common';

/** coordination/v1 strategies the API server knows (pkg/apis/coordination/validation validLeaseStrategies). */
const LEASE_STRATEGIES = ['OldestEmulationVersion'];
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** apimachinery IsQualifiedName for a value with a '/' (the only case the Lease strategy check sends it). */
function qualifiedNameProblems(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2)
    return [
      `a qualified name ${QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  const [prefix = '', name = ''] = parts;
  const out: string[] = [];
  if (prefix === '') out.push('prefix part must be non-empty');
  else {
    if (prefix.length > 253) out.push('prefix part must be no more than 253 characters');
    if (!DNS1123_SUBDOMAIN.test(prefix)) out.push(`prefix part ${SUBDOMAIN_MSG}`);
  }
  if (name === '') out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME_PART.test(name)) out.push(`name part ${QUALIFIED_NAME_MSG}`);
  return out;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * ValidateLeaseSpec (pkg/apis/coordination/validation): leaseDurationSeconds > 0, leaseTransitions >= 0, a strategy
 * that is a known name or a qualified name (the NotSupported error names `spec.strategy.strategy`, as kube's does),
 * preferredHolder only with a strategy. Times are checked by the decoder (micro-time.ts), not here.
 */
export function validateLease(o: Obj, out: Cause[]): void {
  const spec = isObj(o.spec) ? o.spec : {};
  if (isInt(spec.leaseDurationSeconds) && spec.leaseDurationSeconds <= 0)
    out.push(bad('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (isInt(spec.leaseTransitions) && spec.leaseTransitions < 0)
    out.push(bad('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  const strategy = spec.strategy;
  if (typeof strategy === 'string') {
    if (!strategy.includes('/')) {
      if (!LEASE_STRATEGIES.includes(strategy))
        out.push({
          field: 'spec.strategy.strategy',
          message: `Unsupported value: ${JSON.stringify(strategy)}: supported values: ${LEASE_STRATEGIES.map((s) => JSON.stringify(s)).join(', ')}`,
        });
    } else
      for (const msg of qualifiedNameProblems(strategy))
        out.push(bad('spec.strategy.strategy', strategy, msg));
  }
  const preferred = spec.preferredHolder;
  if (typeof preferred === 'string' && preferred !== '' && (typeof strategy !== 'string' || strategy === ''))
    out.push({
      field: 'spec.preferredHolder',
      message: 'Forbidden: may only be specified if `strategy` is defined',
    });
}
