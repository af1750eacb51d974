import { describe, expect, it } from 'vitest';
import { ArgError, parseArgs, parseDuration } from './args';

function argError(argv: string[]): ArgError {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof ArgError) return e;
    throw e;
  }
  throw new Error(`expected an ArgError for ${argv.join(' ')}`);
}

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['3', 3000],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '10x', '-1s', '0s', '1e3s', 's'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow();
  });
});

describe('parseArgs', () => {
  it('parses a rate run with headers', () => {
    const o = parseArgs([
      'http://127.0.0.1:8080/api/work',
      '--rps',
      '50',
      '--duration=2m',
      '-H',
      'Host: webapp.example',
      '-H',
      'X-Canary:  always ',
      '--timeout',
      '500ms',
      '--json',
      '--progress',
      '--fail-on-error',
      '-m',
      'post',
      '--max-inflight',
      '20',
    ]);
    expect(o.load).toEqual({
      url: 'http://127.0.0.1:8080/api/work',
      rps: 50,
      durationMs: 120_000,
      timeoutMs: 500,
      maxInflight: 20,
      method: 'POST',
      headers: { host: 'webapp.example', 'x-canary': 'always' },
    });
    expect(o.json && o.progress && o.failOnError).toBe(true);
  });

  it('defaults: 10s, 5s timeout, url via --url, closed loop', () => {
    const o = parseArgs(['--url', 'http://localhost/', '-c', '4']);
    expect(o.load).toEqual({ url: 'http://localhost/', concurrency: 4, durationMs: 10_000, timeoutMs: 5000 });
    expect(o.json).toBe(false);
  });

  it('requests alone bound the run (no default duration added)', () => {
    const o = parseArgs(['http://localhost/', '-c', '1', '-n', '100']);
    expect(o.load.requests).toBe(100);
    expect(o.load.durationMs).toBeUndefined();
  });

  it('--help needs nothing else', () => {
    expect(parseArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['http://x/', '--rps', '10', '--bogus'], '--bogus', /unknown/],
    [['http://x/', '--rps', 'ten'], '--rps', /number/],
    [['http://x/', '--rps', '0'], '--rps', /> 0/],
    [['http://x/', '--rps', '-5'], '--rps', /missing value|number|unknown/],
    [['http://x/', '--rps', '1', '-c', '2'], '-c', /cannot be combined/],
    [['http://x/'], '--rps', /required/],
    [['http://x/', '-c', '1.5'], '-c', /integer/],
    [['http://x/', '-c', '0'], '-c', /> 0/],
    [['http://x/', '-c', '1', '--duration', '10 minutes'], '--duration', /duration/],
    [['http://x/', '-c', '1', '--duration', '2h'], '--duration', /1h/],
    [['http://x/', '-c', '1', '-n', '1e3'], '-n', /integer/],
    [['http://x/', '-c', '1', '--timeout', 'soon'], '--timeout', /duration/],
    [['http://x/', '-c', '1', '-H', 'no-colon'], '-H', /Name: value/],
    [['http://x/', '-c', '1', '-H', 'bad name: v'], '-H', /Name: value/],
    [['http://x/', '-c', '1', '--max-inflight', '5'], '--max-inflight', /only applies/],
    [['http://x/', '-c', '1', '--rps'], '--rps', /missing value/],
    [['http://x/', '-c', '1', '--json=yes'], '--json', /no value/],
    [['http://x/', '-c', '1', '-c', '2'], '-c', /more than once/],
    [['-c', '1'], 'url', /missing/],
    [['ftp://x/', '-c', '1'], 'url', /http/],
    [['not a url', '-c', '1'], 'url', /valid URL/],
    [['http://x/', 'http://y/', '-c', '1'], 'url', /exactly one/],
    [['http://x/', '-c', '1', '-m', 'GE T'], '-m', /method/],
  ])('%j -> error naming %s', (argv, flag, message) => {
    const e = argError(argv as string[]);
    expect(e.flag).toBe(flag);
    expect(e.message).toMatch(message as RegExp);
    expect(e.message.startsWith(`${flag}:`)).toBe(true);
  });
});
