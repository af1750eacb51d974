import { QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { makeQueryClient } from '@/lib/client/query-client';
import { row } from '@/lib/overview/testing/rows';
import { ROW_PX } from './rollout-row';
import { RolloutTable } from './rollout-table';

const rows = Array.from({ length: 1000 }, (_, i) =>
  row(`ns-${i % 100}`, `app-${String(i).padStart(4, '0')}`, { context: i % 2 ? 'staging' : 'prod' }),
);
rows[0] = {
  ...(rows[0] as (typeof rows)[number]),
  phase: 'Degraded',
  message: 'analysis failed: error rate 4 %',
};

const render = (showContext: boolean) =>
  renderToStaticMarkup(
    <QueryClientProvider client={makeQueryClient()}>
      <RolloutTable rows={rows} caption="All rollouts" sloKeys={new Set()} showContext={showContext} />
    </QueryClientProvider>,
  );

describe('RolloutTable (the virtualised overview)', () => {
  it('renders the first screenful of 1,000 rows at one fixed height, a spacer for the rest, and the whole size for assistive technology', () => {
    const html = render(false);
    const shown = html.match(/data-testid="row-/g) ?? [];
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(60);
    expect(html).toContain('aria-rowcount="1001"');
    const heights = [...html.matchAll(/<tr style="height:(\d+)px;will-change:transform"/g)].map((m) =>
      Number(m[1]),
    );
    expect(heights).toHaveLength(shown.length);
    expect(new Set(heights)).toEqual(new Set([ROW_PX]));
    const spacer = /<td aria-hidden="true" colSpan="7" style="height:(\d+)px/.exec(html);
    expect(Number(spacer?.[1])).toBe((rows.length - shown.length) * ROW_PX);
  });

  it('keeps a message on the row line, cut short, whole in its title', () => {
    const html = render(false);
    expect(html).toContain('title="analysis failed: error rate 4 %"');
    expect(html).toMatch(/class="flex min-w-0 items-center gap-2"><span[^>]*>.*Degraded/);
  });

  it("shows a Context column with each row's context when several kube contexts are configured", () => {
    const html = render(true);
    expect(html).toContain('>Context</th>');
    expect(html).toMatch(/data-testid="row-prod\/ns-0\/app-0000"[^>]*><td[^>]*>prod<\/td>/);
    expect(html).toMatch(/data-testid="row-staging\/ns-1\/app-0001"[^>]*><td[^>]*>staging<\/td>/);
    expect(render(false)).not.toContain('>Context</th>');
  });
});
