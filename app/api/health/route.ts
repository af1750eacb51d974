import { appInfo } from '@/lib/app-info';
import { uptimeSeconds } from '@/server/config/process-start';
import { json, route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** Liveness: public (no session), says nothing secret. */
export const GET = route({}, () =>
  json({ status: 'ok', version: appInfo.version, uptimeSeconds: uptimeSeconds() }),
);
