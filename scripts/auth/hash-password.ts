/**
 * Prints the argon2id hash of a password for CONTROL_CENTER_CONFIG `auth.users[].passwordHash`.
 *   npm run hash-password            (reads the password from stdin, so it stays out of the shell history)
 */
import { hash } from '@node-rs/argon2';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  input += d;
});
process.stdin.on('end', () => {
  const password = input.replace(/\r?\n$/, '');
  if (password.length < 12) {
    console.error('hash-password: use at least 12 characters');
    process.exit(1);
  }
  void hash(password).then((h) => process.stdout.write(`${h}\n`));
});
