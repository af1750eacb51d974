export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

/** One JSON line per event: info to stdout, warn/error to stderr. */
export function createLogger(base: LogFields = {}): Logger {
  return (level, event, fields = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields });
    const stream = level === 'info' ? process.stdout : process.stderr;
    stream.write(`${line}\n`);
  };
}
