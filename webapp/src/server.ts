import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { describeEnvIssues, parseEnv } from './env-config.js';
import { createFaultsWatcher } from './faults-watcher.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { createLifecycle } from './lifecycle.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createRequestHandler } from './request-handler.js';

function main(): void {
  const env = parseEnv(process.env);
  if (!env.ok) {
    createLogger()('error', 'invalid_environment', {
      message: `invalid environment: ${describeEnvIssues(env.issues)}`,
      issues: env.issues,
    });
    process.exitCode = 1;
    return;
  }
  const config = env.config;
  const version = config.VERSION;
  const hostname = osHostname();
  const log = createLogger({ version, hostname });

  const watcher = createFaultsWatcher({
    path: config.FAULTS_FILE,
    version,
    pollMs: config.FAULTS_POLL_MS,
    log,
    defaults: {
      errorRate: config.FAULT_ERROR_RATE,
      latencyMs: config.FAULT_LATENCY_MS,
      latencyJitterMs: config.FAULT_LATENCY_JITTER_MS,
      flags: {},
    },
  });
  watcher.start();

  const lifecycle = createLifecycle(config.WARMUP_MS);
  const metrics = createMetrics(version);
  const server = createServer(
    createRequestHandler({ version, hostname, metrics, lifecycle, log, faults: watcher.current }),
  );

  server.on('error', (error) => {
    log('error', 'server_error', { reason: error.message });
    process.exit(1);
  });

  installGracefulShutdown({
    server,
    lifecycle,
    log,
    delayMs: config.SHUTDOWN_DELAY_MS,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onStop: watcher.stop,
  });

  server.listen(config.PORT, config.HOST, () => {
    lifecycle.startWarmup();
    const address = server.address() as AddressInfo;
    log('info', 'started', {
      host: address.address,
      port: address.port,
      warmupMs: config.WARMUP_MS,
      faultsFile: config.FAULTS_FILE ?? null,
      faults: watcher.current(),
      pid: process.pid,
    });
  });
}

main();
