import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabStore } from '../store/lab-store';
import { deniedEnvName, filterPodEnv } from './env-policy';
import { startWorkloads, type Workloads } from './index';
import {
  demoStore,
  ensureBuilt,
  LOADGEN_ENTRY,
  podsOf,
  R,
  readyPods,
  replicaSet,
  tempDir,
  WEBAPP_ENTRY,
  waitFor,
} from './testing/lab-fixtures';

describe('pod env policy', () => {
  it.each([
    ['NODE_OPTIONS', true],
    ['node_options', true],
    ['NODE_PATH', true],
    ['NODE_REPL_EXTERNAL_MODULE', true],
    ['NODE_EXTRA_CA_CERTS', true],
    ['NODE_TLS_REJECT_UNAUTHORIZED', true],
    ['NODE_V8_COVERAGE', true],
    ['NODE_REDIRECT_WARNINGS', true],
    ['NODE_COMPILE_CACHE', true],
    ['NODE_ICU_DATA', true],
    ['NODE_DEBUG', true],
    ['LD_PRELOAD', true],
    ['LD_LIBRARY_PATH', true],
    ['LD_AUDIT', true],
    ['DYLD_INSERT_LIBRARIES', true],
    ['GLIBC_TUNABLES', true],
    ['GCONV_PATH', true],
    ['HOSTALIASES', true],
    ['LOCALDOMAIN', true],
    ['RES_OPTIONS', true],
    ['TZDIR', true],
    ['BASH_ENV', true],
    ['ENV', true],
    ['BASH_FUNC_ls%%', true],
    ['OPENSSL_CONF', true],
    ['SSL_CERT_FILE', true],
    ['PYTHONPATH', true],
    ['PYTHONSTARTUP', true],
    ['PERL5OPT', true],
    ['RUBYOPT', true],
    ['JAVA_TOOL_OPTIONS', true],
    ['NODE_OPTIONS=--require=/tmp/x.js', true],
    ['', true],
    ['A\u0000B', true],
    ['NODE_ENV', false],
    ['node_env', false],
    ['UV_THREADPOOL_SIZE', false],
    ['PATH', false],
    ['HOME', false],
    ['TZ', false],
    ['VERSION', false],
    ['FAULTS_FILE', false],
    ['FAULT_ERROR_RATE', false],
    ['HTTP_PROXY', false],
    ['my.dotted-name', false],
    ['NODENAME', false],
  ])('%j denied: %s', (name, denied) => {
    expect(deniedEnvName(name)).toBe(denied);
  });

  it('keeps the rest of the environment and names what it dropped, sorted', () => {
    expect(
      filterPodEnv({ PATH: '/usr/bin', NODE_OPTIONS: '--require=x', VERSION: 'v1', LD_PRELOAD: 'x.so' }),
    ).toEqual({ env: { PATH: '/usr/bin', VERSION: 'v1' }, dropped: ['LD_PRELOAD', 'NODE_OPTIONS'] });
  });
});

describe('pod env policy on a real process', () => {
  let dir = '';
  let store: LabStore | undefined;
  let workloads: Workloads | undefined;
  afterAll(async () => {
    await workloads?.stop();
    store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('NODE_OPTIONS=--require never runs the file; the pod runs Ready and a Warning event names the variables', async () => {
    ensureBuilt();
    dir = tempDir('lab-env-policy');
    store = demoStore(dir);
    workloads = startWorkloads({ store, dir, webappEntry: WEBAPP_ENTRY, loadgenEntry: LOADGEN_ENTRY });
    const marker = path.join(dir, 'required-ran');
    const evil = path.join(dir, 'evil.js');
    fs.writeFileSync(evil, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    const env = [
      { name: 'NODE_OPTIONS', value: `--require=${evil}` },
      { name: 'LD_PRELOAD', value: path.join(dir, 'nothing.so') },
      { name: 'GREETING', value: 'hello' },
    ];
    store.create(R.rs, replicaSet('env-policy', 'v1.0', 'eeee5555', 1, env));
    const s = store;
    const pod = await waitFor('pod Ready', () => readyPods(s, 'eeee5555')[0]);
    const port = pod.metadata.annotations?.['lab.rollouts.io/port'];
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(fs.existsSync(marker)).toBe(false);
    const warning = s
      .list(R.events, { namespace: 'demo' })
      .items.find(
        (e) =>
          e.reason === 'PolicyViolation' &&
          (e.involvedObject as { name?: string }).name === pod.metadata.name,
      );
    expect(warning?.type).toBe('Warning');
    expect(warning?.message).toContain('Dropped env "LD_PRELOAD", "NODE_OPTIONS" of container webapp');
    // the process got the harmless variable: /proc/<pid>/environ of the running container
    const pid = Number(pod.metadata.annotations?.['lab.rollouts.io/pids']);
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('GREETING=hello');
    expect(environ.some((e) => e.startsWith('NODE_OPTIONS=') || e.startsWith('LD_PRELOAD='))).toBe(false);
    expect(podsOf(s, 'eeee5555')).toHaveLength(1);
  });
});
