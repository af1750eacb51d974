import 'server-only';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  type ControlCenterConfig,
  controlCenterConfigSchema,
  type LeaderElectionConfig,
  leaderElectionDefaults,
} from '@/lib/schemas/control-center-config';
import { env } from './env';

export class ConfigError extends Error {}

/** Parses the YAML of CONTROL_CENTER_CONFIG; a bad file throws a ConfigError naming the file and the field. */
export function parseControlCenterConfig(text: string, file = 'CONTROL_CENTER_CONFIG'): ControlCenterConfig {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const res = controlCenterConfigSchema.safeParse(raw);
  if (!res.success) {
    const msg = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${file}: ${msg}`);
  }
  return res.data;
}

let cached: ControlCenterConfig | undefined;

/** The control center's configuration: the file named by CONTROL_CENTER_CONFIG, or the defaults. */
export function controlCenterConfig(): ControlCenterConfig {
  if (!cached) {
    const file = env().CONTROL_CENTER_CONFIG;
    if (!file) cached = controlCenterConfigSchema.parse({});
    else {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new ConfigError(`CONTROL_CENTER_CONFIG: cannot read ${file}: ${(err as Error).message}`);
      }
      cached = parseControlCenterConfig(text, file);
    }
  }
  return cached;
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * Leader election of the timeline recorder with every default filled in, or null when it is off: `leaderElection:
 * false`, or absent with the embedded store (SQLite is one replica only). Absent with a shared store (DATABASE_URL)
 * means on with client-go's defaults, since replicas sharing it would otherwise each write the timeline. The namespace: as configured, else the pod's own (service account file), else
 * `control-center`.
 */
export function leaderElectionSettings(
  config: ControlCenterConfig = controlCenterConfig(),
  saNamespaceFile = SERVICE_ACCOUNT_NAMESPACE,
  sharedStore = Boolean(env().DATABASE_URL),
): (Required<LeaderElectionConfig> & { namespace: string }) | null {
  const le = config.leaderElection ?? (sharedStore ? leaderElectionDefaults() : false);
  if (le === false) return null;
  let namespace = le.namespace;
  if (!namespace) {
    try {
      namespace = readFileSync(saNamespaceFile, 'utf8').trim() || undefined;
    } catch {
      // not in a pod
    }
  }
  return { ...le, namespace: namespace ?? 'control-center' };
}
