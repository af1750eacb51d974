/**
 * The control center's CONTROL_CENTER_CONFIG on the kind cluster. manifests/control-center/configmap.yaml holds it in
 * Git; setup copies it into the Secret `control-center-config` (the file the pod mounts, since it may carry password
 * hashes) and adds a first admin when the file names neither users nor OIDC, as `./run.sh local` does for the lab.
 */
import { parseAllDocuments, parseDocument } from 'yaml';
import { z } from 'zod';
import {
  type ControlCenterConfig,
  controlCenterConfigSchema,
  localUserSchema,
} from '../../lib/schemas/control-center-config';
import { type FirstAdmin, firstAdmin } from '../auth/first-admin-user';

const configMapSchema = z.object({
  kind: z.literal('ConfigMap'),
  data: z.object({ 'config.yaml': z.string().min(1) }),
});

/** The config.yaml of the ConfigMap manifest (one document), validated with the control center's own schema. */
export function configFromConfigMap(manifest: string): { text: string; config: ControlCenterConfig } {
  const docs = parseAllDocuments(manifest).map((d) => d.toJS());
  const cm = configMapSchema.parse(docs.find((d) => d?.kind === 'ConfigMap'));
  const text = cm.data['config.yaml'];
  return { text, config: controlCenterConfigSchema.parse(parseDocument(text).toJS() ?? {}) };
}

/** How people sign in with this config: its users and OIDC provider; null when nobody can. */
export function signIn(config: ControlCenterConfig): string | null {
  const ways: string[] = [];
  if (config.auth.users.length > 0) {
    ways.push(`user ${config.auth.users.map((u) => `${u.username} (${u.role})`).join(', ')}`);
  }
  if (config.auth.oidc) ways.push(`the "${config.auth.oidc.name}" button (OIDC ${config.auth.oidc.issuer})`);
  return ways.length > 0 ? ways.join(' or ') : null;
}

export type AdminConfigResult =
  | { action: 'configured'; text: string; how: string }
  | { action: 'kept'; text: string; how: string }
  | { action: 'created'; text: string; password: string };

/**
 * The file to put in the Secret. `configured`: the ConfigMap has users or OIDC, copied as is. `kept`: it has neither
 * and the current Secret already holds users (an earlier setup's admin): those users are carried over, no new
 * password. `created`: a new admin whose password the caller prints once.
 */
export async function adminConfig(
  configMapManifest: string,
  currentSecretConfig: string | null,
  makeAdmin: () => Promise<FirstAdmin> = firstAdmin,
): Promise<AdminConfigResult> {
  const { text, config } = configFromConfigMap(configMapManifest);
  const how = signIn(config);
  if (how) return { action: 'configured', text, how };
  const doc = parseDocument(text);
  const current = currentSecretConfig
    ? controlCenterConfigSchema.safeParse(parseDocument(currentSecretConfig).toJS())
    : null;
  const kept = current?.success ? z.array(localUserSchema).parse(current.data.auth.users) : [];
  if (kept.length > 0) {
    doc.setIn(['auth', 'users'], kept);
    const out = String(doc);
    return { action: 'kept', text: out, how: signIn(controlCenterConfigSchema.parse(doc.toJS())) ?? '' };
  }
  const admin = await makeAdmin();
  doc.setIn(['auth', 'users'], [admin.user]);
  const out = String(doc);
  controlCenterConfigSchema.parse(parseDocument(out).toJS());
  return { action: 'created', text: out, password: admin.password };
}
