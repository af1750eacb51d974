import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../test/load.js';
import { killAll, startServer } from '../test/server-harness.js';

afterEach(killAll);

/** Replaces the file atomically (write a temp file, rename over), like a ConfigMap update. */
function writeAtomically(file: string, content: string): void {
  const temp = `${file}.tmp-${process.hrtime.bigint()}`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

const status = async (url: string) => {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
};

describe('live faults file', () => {
  it('picks up changes (stat every FAULTS_POLL_MS), keeps the last good config on invalid files, and reverts to env when removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webapp-reload-'));
    const file = join(dir, 'faults.json'); // does not exist yet
    const server = await startServer({ VERSION: 'v1.1', FAULTS_FILE: file });
    const work = `${server.url}/api/work`;

    expect(await status(work)).toBe(200);
    expect(await (await fetch(`${server.url}/`)).text()).not.toContain('New checkout experience');

    writeAtomically(
      file,
      JSON.stringify({ 'v1.1': { errorRate: 1, flags: { newBanner: true } }, 'v1.0': {} }),
    );
    await waitUntil(async () => (await status(work)) === 500, 10_000); // fails loudly when never picked up
    expect(await (await fetch(`${server.url}/api/flags`)).json()).toEqual({
      version: 'v1.1',
      flags: { newBanner: true },
    });

    // Invalid by schema: logged naming the field, ignored.
    writeAtomically(file, JSON.stringify({ 'v1.1': { errorRate: 2 } }));
    const invalid = await server.waitForLog((l) => l.event === 'faults_config_invalid', 10_000);
    expect(String(invalid.reason)).toContain('errorRate');
    expect(server.stderr()).toContain('"faults_config_invalid"');
    for (let i = 0; i < 5; i++) expect(await status(work)).toBe(500);

    // Invalid JSON, edited in place: also ignored.
    writeFileSync(file, '{"v1.1": {"errorRate": 0');
    await server.waitForLog(
      (l) => l.event === 'faults_config_invalid' && String(l.reason).includes('JSON'),
      10_000,
    );
    expect(await status(work)).toBe(500);

    // A good edit applies again; the version's own key wins over "*".
    writeAtomically(file, JSON.stringify({ '*': { errorRate: 1 }, 'v1.1': { errorRate: 0 } }));
    await waitUntil(async () => (await status(work)) === 200, 10_000);
    expect(await (await fetch(`${server.url}/api/flags`)).json()).toEqual({ version: 'v1.1', flags: {} });

    // Removing the file reverts to the env defaults.
    writeAtomically(file, JSON.stringify({ '*': { errorRate: 1 } }));
    await waitUntil(async () => (await status(work)) === 500, 10_000);
    rmSync(file);
    await waitUntil(async () => (await status(work)) === 200, 10_000);
    expect(server.proc.exitCode).toBeNull();
  });

  it('reads <dir>/faults.json when FAULTS_FILE is a ConfigMap-style directory and follows its ..data swap', async () => {
    const mount = mkdtempSync(join(tmpdir(), 'webapp-configmap-'));
    const publish = (name: string, content: unknown) => {
      const data = join(mount, name);
      mkdirSync(data);
      writeFileSync(join(data, 'faults.json'), JSON.stringify(content));
      const link = join(mount, `..data_tmp_${name}`);
      symlinkSync(name, link);
      renameSync(link, join(mount, '..data'));
    };
    publish('..2024_01', { 'v1.0': { flags: { newBanner: true } } });
    symlinkSync(join('..data', 'faults.json'), join(mount, 'faults.json'));

    const server = await startServer({ VERSION: 'v1.0', FAULTS_FILE: mount });
    expect(await (await fetch(`${server.url}/`)).text()).toContain('New checkout experience');

    publish('..2024_02', { 'v1.0': { flags: { newBanner: false } } });
    await waitUntil(
      async () => !(await (await fetch(`${server.url}/`)).text()).includes('New checkout experience'),
      10_000,
    );
    expect(await (await fetch(`${server.url}/api/flags`)).json()).toEqual({
      version: 'v1.0',
      flags: { newBanner: false },
    });
  });
});
