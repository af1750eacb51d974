#!/usr/bin/env node
import { ArgError, type CliOptions, parseArgs, USAGE } from './args';
import { formatProgress, formatSummary } from './format';
import { runLoad } from './runner';

/** Run the CLI; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof ArgError) {
      process.stderr.write(`loadgen: ${e.message}\nRun 'loadgen --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`loadgen: ${sig}: stopping, waiting for in-flight requests (again to quit now)\n`);
      controller.abort();
    } else {
      process.stderr.write(`loadgen: ${sig}: quitting without summary\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const summary = await runLoad(opts.load, {
      signal: controller.signal,
      onProgress: opts.progress
        ? (p) => {
            process.stderr.write(
              `${opts.json ? JSON.stringify({ type: 'progress', ...p }) : formatProgress(p)}\n`,
            );
          }
        : undefined,
    });
    process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return opts.failOnError && summary.failed > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (typeof require !== 'undefined' && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`loadgen: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
