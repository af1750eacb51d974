import 'server-only';
import { hash, verify } from '@node-rs/argon2';
import { controlCenterConfig } from '../config/control-center-config';

// Verified when the user does not exist, so an unknown name costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Hashes a password for CONTROL_CENTER_CONFIG (argon2id, the library's defaults). */
export const hashPassword = (password: string): Promise<string> => hash(password);

/**
 * The local user with this name and password, or null. Says nothing about which part was wrong: an unknown user
 * and a wrong password take the same path (one argon2 verification each) and give the same answer.
 */
export async function verifyLocalUser(
  username: string,
  password: string,
): Promise<{ username: string } | null> {
  const user = controlCenterConfig().auth.users.find((u) => u.username === username);
  dummyHash ??= hash('not-a-real-password-0123456789');
  const stored = user?.passwordHash ?? (await dummyHash);
  let ok = false;
  try {
    ok = await verify(stored, password);
  } catch {
    ok = false;
  }
  return ok && user ? { username: user.username } : null;
}
