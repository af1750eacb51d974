import 'server-only';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  type ControlCenterConfig,
  controlCenterConfigSchema,
  type LeaderElectionConfig,
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
 * Leader election of the timeline recorder with every default filled in, or null when `leaderElection` is not
 * configured (one replica). The namespace: as configured, else the pod's own (service account file), else
 * `control-center`.
 */
export function leaderElectionSettings(
  config: ControlCenterConfig = controlCenterConfig(),
  saNamespaceFile = SERVICE_ACCOUNT_NAMESPACE,
): (Required<LeaderElectionConfig> & { namespace: string }) | null {
  const le = config.leaderElection;
  if (!le) return null;
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
