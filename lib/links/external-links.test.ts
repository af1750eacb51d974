import { describe, expect, it } from 'vitest';
import { controlCenterConfigSchema } from '../schemas/control-center-config';
import { externalLinks } from './external-links';

describe('externalLinks', () => {
  const defaults = controlCenterConfigSchema.parse({}).links;

  it("uses the seed's ports by default and puts the canary's window into Grafana", () => {
    const links = externalLinks(defaults, { namespace: 'demo', rollout: 'webapp', from: 1_700_000_000_000 });
    const by = Object.fromEntries(links.map((l) => [l.id, l.href]));
    expect(by.argocd).toBe('http://127.0.0.1:8080/applications/argocd/webapp');
    expect(by.rollouts).toBe('http://127.0.0.1:3100/rollouts/rollout/demo/webapp');
    expect(by.grafana).toBe(
      'http://127.0.0.1:3000/d/canary?var-namespace=demo&var-rollout=webapp&from=1700000000000&to=now',
    );
    expect(by.kiali).toBe(
      'http://127.0.0.1:20001/kiali/console/graph/namespaces/?namespaces=demo&graphType=versionedApp',
    );
    expect(by.prometheus).toMatch(/^http:\/\/127\.0\.0\.1:9090\/graph\?g0\.expr=sum%20by/);
  });

  it('takes configured URLs (trailing slash tolerated) and escapes names', () => {
    const cfg = controlCenterConfigSchema.parse({
      links: { argocd: { url: 'https://argocd.example.com/', appNamespace: 'apps' } },
    }).links;
    const [argocd] = externalLinks(cfg, { namespace: 'demo', rollout: 'web app' });
    expect(argocd?.href).toBe('https://argocd.example.com/applications/apps/web%20app');
  });

  it('refuses a config with a bad URL or an unknown key, naming the field', () => {
    const bad = controlCenterConfigSchema.safeParse({ links: { grafana: { url: 'grafana:3000' } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path.join('.')).toBe('links.grafana.url');
    const unknown = controlCenterConfigSchema.safeParse({ linkz: {} });
    expect(unknown.error?.issues[0]?.message).toMatch(/linkz/);
  });
});
