import { parseEnv } from './env';

// Imported once at server start (instrumentation.ts): a bad environment stops start-up, naming the variable.
try {
  parseEnv(process.env);
} catch (err) {
  console.error(`control center: ${(err as Error).message}`);
  process.exit(1);
}
