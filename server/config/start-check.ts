import { authSecret } from '../auth/secret';
import { kubeContexts } from '../runtime/request-context';
import { controlCenterConfig } from './control-center-config';
import { parseEnv } from './env';

// Imported once at server start (instrumentation.ts): a bad environment or configuration file, or a missing
// AUTH_SECRET outside the lab, stops start-up with a message naming the variable or the field.
try {
  parseEnv(process.env);
  const cfg = controlCenterConfig();
  authSecret();
  // Every configured kube context must exist in the kubeconfig (a typo would otherwise show as an empty cluster).
  if (cfg.contexts) kubeContexts();
  if (cfg.auth.users.length === 0 && !cfg.auth.oidc)
    console.warn(
      'control center: nobody can sign in: add auth.users or auth.oidc to CONTROL_CENTER_CONFIG (./run.sh local creates a first admin)',
    );
} catch (err) {
  console.error(`control center: ${(err as Error).message}`);
  process.exit(1);
}
