/** Runs once when the server starts: a bad environment stops start-up with a message naming the variable. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    await import('./server/config/private-umask');
    // Route handlers learn each request's TCP peer from this (sign-in throttling by source address).
    (await import('./server/http/peer-header')).installPeerHeader();
    await import('./server/config/start-check');
    // Several replicas: every one runs the timeline recorder as a standby from boot (only the Lease holder writes).
    (await import('./server/runtime/boot')).startRecordersAtBoot();
  }
}
