import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaderElectionSettings, parseControlCenterConfig } from './control-center-config';

const dir = mkdtempSync(path.join(tmpdir(), 'le-config-'));
const saFile = (ns: string) => {
  const f = path.join(dir, `namespace-${ns || 'empty'}`);
  writeFileSync(f, `${ns}\n`);
  return f;
};

describe('leaderElection in CONTROL_CENTER_CONFIG', () => {
  it('absent: no election with the embedded store (one replica always records), on with a shared one', () => {
    expect(leaderElectionSettings(parseControlCenterConfig(''), saFile('pods'), false)).toBeNull();
    expect(leaderElectionSettings(parseControlCenterConfig(''), saFile('pods'), true)).toEqual({
      namespace: 'pods',
      leaseName: 'control-center-recorder',
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
    });
  });

  it('false: off, even with a shared store', () => {
    expect(
      leaderElectionSettings(parseControlCenterConfig('leaderElection: false\n'), saFile('pods'), true),
    ).toBeNull();
  });

  it("client-go's defaults; the namespace from the service account, else control-center", () => {
    const cfg = parseControlCenterConfig('leaderElection: {}\n');
    expect(leaderElectionSettings(cfg, saFile('pdcc'))).toEqual({
      namespace: 'pdcc',
      leaseName: 'control-center-recorder',
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
    });
    expect(leaderElectionSettings(cfg, path.join(dir, 'missing'))?.namespace).toBe('control-center');
    expect(leaderElectionSettings(cfg, saFile(''))?.namespace).toBe('control-center');
    const set = parseControlCenterConfig(
      'leaderElection: {namespace: ops, leaseName: rec, leaseDurationSeconds: 6, renewDeadlineSeconds: 4, retryPeriodSeconds: 1}\n',
    );
    expect(leaderElectionSettings(set, saFile('pdcc'))).toMatchObject({
      namespace: 'ops',
      leaseName: 'rec',
      retryPeriodSeconds: 1,
    });
  });

  it('names the field of a bad value', () => {
    expect(() => parseControlCenterConfig('leaderElection: {leaseDurationSeconds: 5}\n', 'cc.yaml')).toThrow(
      'cc.yaml: leaderElection: needs leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds',
    );
    expect(() => parseControlCenterConfig('leaderElection: {namespace: Ops}\n', 'cc.yaml')).toThrow(
      'cc.yaml: leaderElection.namespace: a namespace name (lowercase RFC 1123 label)',
    );
    expect(() => parseControlCenterConfig('leaderElection: {retryPeriodSeconds: 0}\n', 'cc.yaml')).toThrow(
      /leaderElection\.retryPeriodSeconds: /,
    );
  });
});
