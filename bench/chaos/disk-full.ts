/**
 * A real full disk under the control center's data folder: a size-limited tmpfs mounted there (needs root with
 * CAP_SYS_ADMIN), filled to the last block by a filler file while the fault lasts, and freed again after.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FullDisk {
  /** How the fault is made, for the row's note. */
  mechanism: string;
  fill: () => number;
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
    mechanism: `tmpfs mount -o size=${sizeMb}m on CONTROL_CENTER_DATA_DIR, filled to ENOSPC by a filler file`,
    fill: () => {
      const fd = openSync(filler, 'w');
      let written = 0;
      try {
        // 64 KiB blocks, then pages (tmpfs allocates 4 KiB pages); bounded by the mount's size.
        for (const size of [64 * 1024, 4096]) {
          const block = Buffer.alloc(size, 1);
          try {
            for (let i = 0; i < (sizeMb * 1024 * 1024) / size + 16; i++) written += writeSync(fd, block);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
        }
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free: () => rmSync(filler, { force: true }),
    unmount: async () => {
      await run('umount', ['-l', dir]).catch(() => undefined);
    },
  };
}
