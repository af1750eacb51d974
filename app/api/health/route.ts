import { appInfo } from '@/lib/app-info';
import { uptimeSeconds } from '@/server/config/process-start';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json(
    { status: 'ok', version: appInfo.version, uptimeSeconds: uptimeSeconds() },
    { headers: { 'cache-control': 'no-store' } },
  );
}
