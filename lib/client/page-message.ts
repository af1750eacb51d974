import type { RolloutPage, RolloutPageMessage, RolloutPagePatch } from '@/lib/rollout/page-patch';

// The envelope of a rollout page's stream message is checked here; the page inside is the server's own projection
// (lib/rollout/rollout-page.ts). Three shapes of a few fields: checked by hand, so the page's first load does not
// carry a schema library for them.

type Fields = Record<string, unknown>;

const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A `page` event's data as a page message, or null when it is not one (wrong type, a field missing or mistyped). */
export function parsePageMessage(data: unknown): RolloutPageMessage | null {
  if (!isRecord(data) || typeof data.key !== 'string' || !isNumber(data.rev)) return null;
  const { key, rev } = data;
  switch (data.type) {
    case 'SNAPSHOT':
      return isRecord(data.page)
        ? { type: 'SNAPSHOT', key, rev, page: data.page as unknown as RolloutPage }
        : null;
    case 'DELTA':
      return isNumber(data.base) && isRecord(data.patch)
        ? { type: 'DELTA', key, rev, base: data.base, patch: data.patch as RolloutPagePatch }
        : null;
    case 'UNCHANGED':
      return { type: 'UNCHANGED', key, rev };
    default:
      return null;
  }
}
