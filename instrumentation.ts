/** Runs once when the server starts: a bad environment stops start-up with a message naming the variable. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { parseEnv } = await import('./server/config/env');
  try {
    parseEnv(process.env);
  } catch (err) {
    console.error(`control center: ${(err as Error).message}`);
    process.exit(1);
  }
}
