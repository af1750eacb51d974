import { QueryClientProvider } from '@tanstack/react-query';
import { AppRouterContext } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { makeQueryClient } from '@/lib/client/query-client';
import { rowOrder } from '@/lib/client/select';
import { FIRST_SCREEN_ROWS, firstRows } from '@/lib/overview/first-rows';
import { row } from '@/lib/overview/testing/rows';
import { type InitialCounts, OverviewLive } from './overview-live';

// The page's server render, as the browser first paints it (the live stream has not answered yet).
const router = { push: () => undefined } as never;
const render = (items: ReturnType<typeof row>[], counts?: InitialCounts) =>
  renderToStaticMarkup(
    <AppRouterContext.Provider value={router}>
      <QueryClientProvider client={makeQueryClient()}>
        <OverviewLive initialItems={items} initialCounts={counts} initialError={null} />
      </QueryClientProvider>
    </AppRouterContext.Provider>,
  );

const all = Array.from({ length: 10_000 }, (_, i) =>
  row(
    `ns-${i % 100}`,
    `svc-${String(i).padStart(5, '0')}`,
    i % 100 === 7 ? { phase: 'Degraded', needsAttention: true } : {},
  ),
);

describe('OverviewLive, server-rendered with the first screen of 10,000 rows', () => {
  const first = firstRows(all, FIRST_SCREEN_ROWS, rowOrder('attention'));
  const html = render(first, { '': { total: all.length, attention: 100 } });

  it('counts every rollout in the headings, not only the rows sent (100 need attention, 60 were sent)', () => {
    expect(html).toMatch(/All rollouts \(10000\)/);
    expect(html).toMatch(/Needs attention \(100\)/);
  });

  it('shows the first rows in the default order (attention first) and says the rest is on its way', () => {
    const names = [...html.matchAll(/data-testid="row-([^"]+)"/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(10);
    // The Degraded ones lead both tables.
    expect(names[0]).toBe('ns-7/svc-00007');
    expect(html).toContain('data-testid="rows-pending"');
    expect(html).toMatch(/Showing 60 of 10000; the rest are on their way\./);
  });

  it('says nothing is pending when the server sent every row', () => {
    const few = all.slice(0, 5);
    const h = render(few, { '': { total: 5, attention: 0 } });
    expect(h).toMatch(/All rollouts \(5\)/);
    expect(h).not.toContain('rows-pending');
  });
});
