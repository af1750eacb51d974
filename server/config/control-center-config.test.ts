import { describe, expect, it } from 'vitest';
import { parseControlCenterConfig } from './control-center-config';

describe('parseControlCenterConfig', () => {
  it('fills defaults from an empty file', () => {
    const cfg = parseControlCenterConfig('');
    expect(cfg.links.kiali.url).toBe('http://127.0.0.1:20001');
    expect(cfg.slo).toEqual({});
  });

  it('names the file and the field of a bad value', () => {
    expect(() => parseControlCenterConfig('slo:\n  p95MaxMs: -1\n', '/etc/cc.yaml')).toThrow(
      /^\/etc\/cc\.yaml: slo\.p95MaxMs: /,
    );
    expect(() => parseControlCenterConfig('links: [', '/etc/cc.yaml')).toThrow(/not valid YAML/);
  });
});
