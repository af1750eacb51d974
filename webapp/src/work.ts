import { createHash, randomBytes } from 'node:crypto';

const PAYLOAD = randomBytes(4096);
export const WORK_ROUNDS = 96;

/** About 1 ms of real CPU work: chained SHA-256 over a 4 KiB payload. */
export function doWork(rounds: number = WORK_ROUNDS): { digest: string; rounds: number; bytes: number } {
  let digest = createHash('sha256').update(PAYLOAD).digest();
  for (let i = 1; i < rounds; i++) {
    digest = createHash('sha256').update(digest).update(PAYLOAD).digest();
  }
  return { digest: digest.toString('hex'), rounds, bytes: rounds * PAYLOAD.length };
}
