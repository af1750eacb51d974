import fs from 'node:fs';
import path from 'node:path';

/**
 * State that holds secrets (databases with Secrets and sessions, keys, tokens, logs) is the owner's alone: folders
 * 0700, files 0600. Created with those modes explicitly (not left to the umask), and fixed when an older version left
 * them open to the group or to everybody.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** A bound on the walk of `lockDownTree` (a state folder holds a few thousand entries at most). */
const MAX_ENTRIES = 200_000;

/** Creates `dir` (and missing parents) 0700 and makes `dir` itself 0700 if it existed with other modes. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates `file` empty (if missing) 0600, and makes it 0600 if it existed with other modes. */
export function privateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/** Writes `file` 0600 through a temporary file and a rename, so no reader sees it half written or with other modes. */
export function writePrivateFile(file: string, content: string | Buffer): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, content, { mode: PRIVATE_FILE_MODE });
  fs.chmodSync(tmp, PRIVATE_FILE_MODE);
  fs.renameSync(tmp, file);
}

/** Appends to `file`, creating it 0600. */
export function appendPrivateFile(file: string, content: string): void {
  fs.appendFileSync(file, content, { mode: PRIVATE_FILE_MODE });
}

/** Opens `file` for appending (a log), created 0600 and made 0600 if it existed with other modes. */
export function openPrivateLog(file: string): number {
  const fd = fs.openSync(file, 'a', PRIVATE_FILE_MODE);
  fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  return fd;
}

/** Removes the group and other bits of one path (not following a symlink); true when it changed. */
function lockDown(p: string, st: fs.Stats): boolean {
  if ((st.mode & 0o077) === 0) return false;
  fs.chmodSync(p, st.mode & 0o700);
  return true;
}

/**
 * Walks `root` (symlinks are not followed) and removes every group and other permission bit: folders become 0700,
 * files 0600 (0700 when the owner may execute them). Returns the paths it changed, relative to `root`. A missing
 * root changes nothing.
 */
export function lockDownTree(root: string): string[] {
  const changed: string[] = [];
  const pending = [root];
  let seen = 0;
  while (pending.length > 0 && seen < MAX_ENTRIES) {
    const p = pending.pop() as string;
    seen++;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue; // gone while walking
    }
    if (st.isSymbolicLink()) continue;
    if (lockDown(p, st)) changed.push(path.relative(root, p) || '.');
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) pending.push(path.join(p, name));
  }
  return changed;
}

/**
 * Makes a SQLite database's folder 0700 and the database 0600 before SQLite opens it (SQLite creates `-wal` and
 * `-shm` with the database file's permissions), and fixes `-wal`/`-shm` left open by an older version. Returns the
 * paths it changed.
 */
export function privateDatabase(file: string): string[] {
  const dir = path.dirname(file);
  const changed: string[] = [];
  const before = (p: string) => {
    try {
      return fs.statSync(p).mode & 0o777;
    } catch {
      return undefined;
    }
  };
  const dirMode = before(dir);
  privateDir(dir);
  if (dirMode !== undefined && dirMode !== PRIVATE_DIR_MODE) changed.push(dir);
  for (const p of [file, `${file}-wal`, `${file}-shm`]) {
    const mode = before(p);
    if (p === file) privateFile(p);
    else if (mode !== undefined) fs.chmodSync(p, PRIVATE_FILE_MODE);
    if (mode !== undefined && mode !== PRIVATE_FILE_MODE) changed.push(p);
  }
  return changed;
}
