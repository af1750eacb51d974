import { appInfo } from '@/lib/app-info';
import { guarded } from '@/server/auth/guard';
import { uptimeSeconds } from '@/server/config/process-start';

export const dynamic = 'force-dynamic';

/** Liveness: public (no session), says nothing secret. */
export const GET = guarded(() =>
  Response.json(
    { status: 'ok', version: appInfo.version, uptimeSeconds: uptimeSeconds() },
    { headers: { 'cache-control': 'no-store' } },
  ),
);
