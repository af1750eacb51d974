import { describe, expect, it } from 'vitest';
import { loadJob } from '@/lib/actions/plan-load';
import { parseControlCenterConfig } from '../config/control-center-config';
import { loadTargetRefusal, resolveLoadTarget } from './load-targets';

const config = `
loadTargets:
  - name: gateway
    url: http://istio-ingressgateway.istio-system/api/work
    host: webapp.local
  - name: direct
    url: http://webapp-stable.demo:8080/api/work
`;

describe('load targets come from the configuration, chosen by name', () => {
  const targets = parseControlCenterConfig(config).loadTargets ?? [];

  it('the first is the default; a name picks its URL and Host; an unknown name lists the configured ones', () => {
    expect(resolveLoadTarget(undefined, targets).name).toBe('gateway');
    expect(resolveLoadTarget('direct', targets)).toEqual({
      name: 'direct',
      url: 'http://webapp-stable.demo:8080/api/work',
    });
    expect(loadTargetRefusal('metadata', targets)).toBe(
      'unknown load target "metadata" (configured: gateway, direct)',
    );
    expect(() => resolveLoadTarget('metadata', targets)).toThrow(/target: unknown load target "metadata"/);
  });

  it('the Job sends to the target: with its Host header, or without one when the target names none', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const args = (name: string) => {
      const t = resolveLoadTarget(name, targets);
      return loadJob('demo', 'webapp', { rps: 5, durationSeconds: 10, url: t.url, host: t.host, now }).spec
        ?.template.spec?.containers[0]?.args;
    };
    expect(args('gateway')).toEqual([
      'http://istio-ingressgateway.istio-system/api/work',
      '--rps',
      '5',
      '--duration',
      '10s',
      '--json',
      '-H',
      'Host: webapp.local',
    ]);
    expect(args('direct')).toEqual([
      'http://webapp-stable.demo:8080/api/work',
      '--rps',
      '5',
      '--duration',
      '10s',
      '--json',
    ]);
  });

  it('a bad list stops start-up naming the field', () => {
    const dup = 'loadTargets:\n  - {name: a, url: "http://x/"}\n  - {name: a, url: "http://y/"}\n';
    expect(() => parseControlCenterConfig(dup, 'cc.yaml')).toThrow(
      'cc.yaml: loadTargets: load target names must be unique',
    );
    expect(() =>
      parseControlCenterConfig('loadTargets:\n  - {name: a, url: "file:///etc/passwd"}\n', 'cc.yaml'),
    ).toThrow('cc.yaml: loadTargets.0.url: must be an http(s) URL');
    expect(() => parseControlCenterConfig('loadTargets: []\n', 'cc.yaml')).toThrow(
      /loadTargets: list at least one/,
    );
  });
});
