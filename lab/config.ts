import path from 'node:path';
import { z } from 'zod';

const port = (name: string, def: number) =>
  z.coerce
    .number({ message: `${name} must be a port number` })
    .int(`${name} must be an integer`)
    .min(0, `${name} must be 0..65535`)
    .max(65535, `${name} must be 0..65535`)
    .default(def);

const REPO = path.resolve(__dirname, '..');

/** The lab's settings, all from the environment, so tests run side by side on their own ports and state folder. */
const schema = z.object({
  LAB_DIR: z.string().min(1).default(path.join(REPO, '.lab')),
  LAB_HOST: z.string().default('127.0.0.1'),
  LAB_API_PORT: port('LAB_API_PORT', 6443),
  LAB_GATEWAY_PORT: port('LAB_GATEWAY_PORT', 8081),
  LAB_PROMETHEUS_PORT: port('LAB_PROMETHEUS_PORT', 9090),
  /** auto: start Prometheus when the binary is on PATH; off: never (the gateway's window endpoint serves metrics). */
  LAB_PROMETHEUS: z.enum(['auto', 'off']).default('auto'),
  LAB_SCRAPE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  /** 1: the chaos bench's fault hooks are served (`POST /lab/v1/chaos/gateway-crash`, admin only); never by default. */
  LAB_CHAOS: z.enum(['0', '1'], { message: 'LAB_CHAOS must be 0 or 1' }).default('0'),
  LAB_WEBAPP_ENTRY: z.string().default(path.join(REPO, 'webapp/dist/server.js')),
  LAB_LOADGEN_ENTRY: z.string().default(path.join(REPO, 'loadgen/dist/cli.js')),
});

export type LabConfig = z.infer<typeof schema>;

export function labConfig(env: Record<string, string | undefined> = process.env): LabConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const res = schema.safeParse(cleaned);
  if (!res.success) {
    throw new Error(
      `invalid lab environment: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { ...res.data, LAB_DIR: path.resolve(res.data.LAB_DIR) };
}
