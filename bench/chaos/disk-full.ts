/**
 * A real full disk under the control center's data folder: a size-limited tmpfs mounted there (needs root with
 * CAP_SYS_ADMIN), filled to the last block by a filler file while the fault lasts, and freed again after.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FullDisk {
  /** How the fault is made, for the row's note. */
  mechanism: string;
  fill: () => Promise<number>;
  free: () => void;
  unmount: () => Promise<void>;
}

/** Mounts a tmpfs of `sizeMb` on `dir`; rejects with the reason when this machine does not allow it. */
export async function mountSmallDisk(dir: string, sizeMb: number): Promise<FullDisk> {
  mkdirSync(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir]);
  } catch (err) {
    throw new Error(
      `needs a size-limited folder: mount -t tmpfs -o size=${sizeMb}m failed (${(err as Error).message.trim()}); run as root with CAP_SYS_ADMIN`,
    );
  }
  const filler = path.join(dir, 'chaos-filler');
  return {
    mechanism: `tmpfs mount -o size=${sizeMb}m on CONTROL_CENTER_DATA_DIR, filled to ENOSPC by a filler file (dd)`,
    // In a child process (dd), so the harness's own event loop (its load generator) never stalls on the writes.
    fill: async () => {
      for (const bs of ['64k', '4k']) {
        // dd ends with "No space left on device" (exit 1): that is the point.
        await run('dd', ['if=/dev/zero', `of=${filler}`, `bs=${bs}`, 'oflag=append', 'conv=notrunc']).catch(
          (err: { stderr?: string }) => {
            if (!String(err.stderr ?? '').includes('No space left')) throw err;
          },
        );
      }
      return statSync(filler).size;
    },
    free: () => rmSync(filler, { force: true }),
    unmount: async () => {
      await run('umount', ['-l', dir]).catch(() => undefined);
    },
  };
}
