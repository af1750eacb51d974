import { controlCenterConfig } from './control-center-config';
import { parseEnv } from './env';

// Imported once at server start (instrumentation.ts): a bad environment or configuration file stops start-up with a
// message naming the variable or the field.
try {
  parseEnv(process.env);
  controlCenterConfig();
} catch (err) {
  console.error(`control center: ${(err as Error).message}`);
  process.exit(1);
}
