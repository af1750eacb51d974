import { apiLogin, expect, test, until } from '../lab-fixture';
import { act, auditRows, jobs } from './attack-helpers';

/**
 * Attack class 3: an operator chose the load target. A load body carried `url` and `host`, so a Job sent up to
 * 500 rps for an hour to any address (the cloud metadata service included). Now the address is configuration only
 * (CONTROL_CENTER_CONFIG `loadTargets`, default `gateway`) and the body names a target at most.
 */
test('an operator cannot point a load Job at an address of their choosing; a configured target by name works', async ({
  lab,
}) => {
  test.setTimeout(120_000);
  const operator = await apiLogin(lab.url, 'operator');
  const admin = await apiLogin(lab.url, 'admin');
  const jobsBefore = await jobs(lab);

  // Exactly what the attacker sent.
  const attack = await act(lab, operator, 'load', {
    rps: 500,
    durationSeconds: 3600,
    url: 'http://169.254.169.254/latest/meta-data/',
    host: 'metadata.google.internal',
  });
  expect(attack.status).toBe(422);
  expect(attack.json.error?.code).toBe('invalid_input');
  expect(attack.json.error?.message).toBe(
    'invalid body: url: is not a known field; host: is not a known field',
  );

  // A target name that is not configured: refused, naming the field and the configured names.
  const unknown = await act(lab, operator, 'load', { rps: 500, durationSeconds: 3600, target: 'metadata' });
  expect(unknown.status).toBe(422);
  expect(unknown.json.error?.message).toBe(
    'invalid body: target: unknown load target "metadata" (configured: gateway)',
  );

  // Read back: no Job was created, nothing points at the metadata address, both refusals are in the audit log.
  expect(await jobs(lab)).toEqual(jobsBefore);
  const refused = await auditRows(lab, admin, { user: 'local:operator', action: 'load' });
  // The same refusal twice within a minute is one entry with a count (class 8).
  const invalid = refused.filter((r) => r.status === 422);
  expect(invalid.reduce((n, r) => n + (r.count ?? 1), 0)).toBe(2);
  expect(invalid[0]?.error).toMatch(/^invalid_input: invalid body: url: is not a known field/);

  // The configured target by name: a Job to the lab's gateway with its Host header.
  const ok = await act(lab, operator, 'load', { rps: 1, durationSeconds: 30, target: 'gateway' });
  expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  const created = (await jobs(lab)).filter((j) => !jobsBefore.some((b) => b.name === j.name));
  expect(created).toHaveLength(1);
  expect(created[0]?.args).toEqual([
    `${lab.gatewayUrl}/api/work`,
    '--rps',
    '1',
    '--duration',
    '30s',
    '--json',
    '-H',
    'Host: webapp.local',
  ]);
  expect((await act(lab, operator, 'load', { stop: true })).status).toBe(200);
  await until('the load Job gone', 30_000, async () =>
    (await jobs(lab)).some((j) => j.name === created[0]?.name) ? undefined : true,
  );
});
