import 'server-only';

/** A taken stream slot: `release` gives it back (idempotent: the stream's every way of ending calls it). */
export interface Slot {
  release: () => void;
}
export type SlotRefusal = { ok: false; message: string };

/**
 * Counts the live streams open per user and in all, so one user (or everyone) cannot hold unbounded streams and the
 * memory each may queue: a stream past `perUser` or `total` is refused (429) with how many are open and the cap.
 */
export class StreamSlots {
  private readonly byUser = new Map<string, number>();
  private all = 0;

  constructor(private readonly caps: () => { perUser: number; total: number }) {}

  get open(): number {
    return this.all;
  }

  openFor(user: string): number {
    return this.byUser.get(user) ?? 0;
  }

  acquire(user: string): ({ ok: true } & Slot) | SlotRefusal {
    const { perUser, total } = this.caps();
    const mine = this.openFor(user);
    if (mine >= perUser)
      return {
        ok: false,
        message: `too many live streams: you have ${mine} open, at most ${perUser} per user; close other tabs of the control center and retry`,
      };
    if (this.all >= total)
      return {
        ok: false,
        message: `too many live streams: the server has ${this.all} open, at most ${total} in all; retry in a minute`,
      };
    this.byUser.set(user, mine + 1);
    this.all++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const n = (this.byUser.get(user) ?? 1) - 1;
        if (n <= 0) this.byUser.delete(user);
        else this.byUser.set(user, n);
        this.all--;
      },
    };
  }
}
