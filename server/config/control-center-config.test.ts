import { describe, expect, it } from 'vitest';
import { parseControlCenterConfig } from './control-center-config';

describe('parseControlCenterConfig', () => {
  it('fills defaults from an empty file', () => {
    const cfg = parseControlCenterConfig('');
    expect(cfg.links.kiali.url).toBe('http://127.0.0.1:20001');
    expect(cfg.slo).toEqual({ namespaces: {}, rollouts: {} });
  });

  it('names the file and the field of a bad value', () => {
    expect(() => parseControlCenterConfig('slo:\n  p95MaxMs: -1\n', '/etc/cc.yaml')).toThrow(
      /^\/etc\/cc\.yaml: slo\.p95MaxMs: /,
    );
    expect(() => parseControlCenterConfig('links: [', '/etc/cc.yaml')).toThrow(/not valid YAML/);
  });

  it('reads SLO thresholds for every rollout, per namespace and per rollout', () => {
    const cfg = parseControlCenterConfig(
      [
        'slo:',
        '  p95MaxMs: 500',
        '  namespaces:',
        '    shop: { errorRateMax: 0.005 }',
        '  rollouts:',
        '    demo/webapp: { successRateMin: 0.995, minStepSeconds: 60 }',
      ].join('\n'),
    );
    expect(cfg.slo).toEqual({
      p95MaxMs: 500,
      namespaces: { shop: { errorRateMax: 0.005 } },
      rollouts: { 'demo/webapp': { successRateMin: 0.995, minStepSeconds: 60 } },
    });
  });

  it('stops on a bad SLO value, naming the rollout or namespace and the field', () => {
    const bad = (yaml: string) => () => parseControlCenterConfig(yaml, 'cc.yaml');
    expect(bad('slo:\n  rollouts:\n    demo/webapp: { p95MaxMs: 0 }\n')).toThrow(
      'cc.yaml: slo.rollouts.demo/webapp.p95MaxMs: must be between 1 and 600000 (milliseconds), got 0',
    );
    expect(bad('slo:\n  namespaces:\n    demo: { successRateMin: 99 }\n')).toThrow(
      'slo.namespaces.demo.successRateMin: must be between 0.5 and 0.999999 (a ratio: 0.99 for 99 %), got 99',
    );
    expect(bad('slo:\n  minStepSeconds: "30s"\n')).toThrow('slo.minStepSeconds: must be a number (seconds)');
    expect(bad('slo:\n  minStepSeconds: 7200\n')).toThrow(/slo\.minStepSeconds: must be between 0 and 3600/);
    expect(bad('slo:\n  rollouts:\n    webapp: { p95MaxMs: 250 }\n')).toThrow(
      /slo\.rollouts\.webapp: "webapp" must be "namespace\/rollout"/,
    );
    expect(bad('slo:\n  namespaces:\n    Demo: { p95MaxMs: 250 }\n')).toThrow(
      'slo.namespaces.Demo: "Demo" must be a namespace (a DNS-1123 label)',
    );
    expect(bad('slo:\n  rollouts:\n    demo/webapp: { p99MaxMs: 250 }\n')).toThrow(
      /slo\.rollouts\.demo\/webapp: Unrecognized key: "p99MaxMs"/,
    );
  });
});
