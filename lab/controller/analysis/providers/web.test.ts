import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../../types';
import { runWebMetric, webTimeoutMs } from './web';

/**
 * The lab's web provider against real HTTP on 127.0.0.1, with the outcomes and messages of Argo's
 * metricproviders/webmetric/webmetric.go (v1.9.1): Go's url.Error text for transport failures
 * (`Get "<url>": dial tcp …: connect: connection refused`, `… context deadline exceeded (Client.Timeout exceeded while
 * awaiting headers)`), "received non 2xx response code: N", a non-JSON 2xx body Successful with the body as value
 * (parseResponse), "Could not find JSONPath in body: <client-go jsonpath error>", a JSON value stored as json.Marshal
 * writes it (getValue: `"promote"` with its quotes).
 */
let http: Server;
let httpUrl: string;
let silent: ReturnType<typeof createTcpServer>;
let silentUrl: string;
const held: Socket[] = [];
let closedPort: number;

const listen = (s: {
  listen: (port: number, host: string, cb: () => void) => void;
  address: () => unknown;
}) =>
  new Promise<number>((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)),
  );

beforeAll(async () => {
  http = createServer((req, res) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname;
    if (route === '/promote') res.end(JSON.stringify({ verdict: 'promote' }));
    else if (route === '/pause') res.end(JSON.stringify({ verdict: 'pause' }));
    else if (route === '/html') res.end('<html>maintenance</html>');
    else if (route === '/empty') res.end('{}');
    else if (route === '/numbers') res.end('{"score":0.5,"detail":{"z":1,"a":"<x>"}}');
    else if (route === '/auth') res.end(JSON.stringify({ verdict: req.headers.authorization }));
    else {
      res.statusCode = 503;
      res.end('{"error":"not ready"}');
    }
  });
  httpUrl = `http://127.0.0.1:${await listen(http)}`;
  // Accepts connections and never answers (a frozen process: the kernel still completes the handshake).
  silent = createTcpServer((sock) => held.push(sock));
  silentUrl = `http://127.0.0.1:${await listen(silent)}/api/v1/judge?namespace=demo`;
  const probe = createTcpServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent.close(r));
  await new Promise((r) => http.close(r));
});

const judge = (url: string, web: Partial<NonNullable<Metric['provider']['web']>> = {}): Metric => ({
  name: 'slo-judge',
  successCondition: 'result == "promote"',
  failureCondition: 'result == "rollback"',
  provider: { web: { url, jsonPath: '{$.verdict}', ...web } },
});

describe('web metric provider (Argo webmetric.go)', () => {
  it('timeout: timeoutSeconds when > 0, else Argo’s 10 s', () => {
    expect(webTimeoutMs({ timeoutSeconds: 5 })).toBe(5000);
    expect(webTimeoutMs({ timeoutSeconds: 0 })).toBe(10_000);
    expect(webTimeoutMs({})).toBe(10_000);
    expect(webTimeoutMs({ timeoutSeconds: -3 })).toBe(10_000);
  });

  it('verdicts: promote Successful, pause Inconclusive (neither condition holds); headers are sent', async () => {
    expect(await runWebMetric(judge(`${httpUrl}/promote`))).toEqual({
      phase: 'Successful',
      value: '"promote"',
    });
    expect(await runWebMetric(judge(`${httpUrl}/pause`))).toEqual({
      phase: 'Inconclusive',
      value: '"pause"',
    });
    const auth = judge(`${httpUrl}/auth`, { headers: [{ key: 'Authorization', value: 'Bearer t' }] });
    expect((await runWebMetric(auth)).value).toBe('"Bearer t"');
  });

  it('the value is stored as Go’s json.Marshal writes it; conditions see the decoded value', async () => {
    const m = (jsonPath: string, successCondition: string): Metric => ({
      name: 'm',
      successCondition,
      provider: { web: { url: `${httpUrl}/numbers`, jsonPath } },
    });
    expect(await runWebMetric(m('{$.score}', 'result < 0.6'))).toEqual({ phase: 'Successful', value: '0.5' });
    expect(await runWebMetric(m('{$.detail}', 'result.a == "<x>"'))).toEqual({
      phase: 'Successful',
      value: '{"a":"\\u003cx\\u003e","z":1}',
    });
  });

  it('connection refused: an Error with Go’s dial message', async () => {
    const url = `http://127.0.0.1:${closedPort}/api/v1/judge?namespace=demo`;
    expect(await runWebMetric(judge(url))).toEqual({
      phase: 'Error',
      message: `Get "${url}": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
  });

  it('a server that never answers: an Error once timeoutSeconds pass, as Go’s Client.Timeout words it', async () => {
    expect(await runWebMetric(judge(silentUrl, { timeoutSeconds: 1 }))).toEqual({
      phase: 'Error',
      message: `Get "${silentUrl}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
  });

  it('a non-2xx status is an Error, whatever the body', async () => {
    expect(await runWebMetric(judge(`${httpUrl}/down`))).toEqual({
      phase: 'Error',
      message: 'received non 2xx response code: 503',
    });
  });

  it('a 2xx body that is not JSON is Successful with the body as value: Argo evaluates no condition', async () => {
    expect(await runWebMetric(judge(`${httpUrl}/html`))).toEqual({
      phase: 'Successful',
      value: '<html>maintenance</html>',
    });
  });

  it('a JSONPath the body lacks is an Error naming the key', async () => {
    expect(await runWebMetric(judge(`${httpUrl}/empty`))).toEqual({
      phase: 'Error',
      message: 'Could not find JSONPath in body: verdict is not found',
    });
  });

  it('a body with GET is an Error before any request', async () => {
    expect(await runWebMetric(judge(`${httpUrl}/promote`, { body: 'x' }))).toEqual({
      phase: 'Error',
      message: 'Body/JSONBody can only be used with POST or PUT WebMetric Method types',
    });
  });
});
