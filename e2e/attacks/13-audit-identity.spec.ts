import { apiLogin, expect, test } from '../lab-fixture';
import { login } from '../login';
import { act, auditRows } from './attack-helpers';

/**
 * Attack class 13a: audit entries stored only a display name (for OIDC users from claims the user may edit), so one
 * user could appear as another. Now each entry holds the stable subject (`local:<user>`, `oidc:<issuer>#<sub>`),
 * the page shows it with the display name in small text, and the user filter works on it. (Two OIDC users with the
 * same display name: server/auth/oidc.test.ts, against a real OpenID provider.)
 */
test('audit entries carry the stable subject; the page shows it and filters by it', async ({ lab, page }) => {
  const operator = await apiLogin(lab.url, 'operator');
  const viewer = await apiLogin(lab.url, 'viewer');
  const admin = await apiLogin(lab.url, 'admin');
  // Refused on purpose: nothing changes, each is one audit entry.
  expect((await act(lab, operator, 'abort', undefined, { namespace: 'shop', name: 'cart' })).status).toBe(
    403,
  );
  expect((await act(lab, viewer, 'abort', undefined, { namespace: 'shop', name: 'cart' })).status).toBe(403);

  const rows = (await auditRows(lab, admin, { namespace: 'shop' })).filter((r) => r.rollout === 'cart');
  expect(rows.map((r) => [r.subject, r.actor, r.role]).sort()).toEqual([
    ['local:operator', 'operator', 'operator'],
    ['local:viewer', 'viewer', 'viewer'],
  ]);
  const mine = await auditRows(lab, admin, { user: 'local:operator', namespace: 'shop' });
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.every((r) => r.subject === 'local:operator')).toBe(true);

  await login(page, 'admin');
  await page.goto('/audit?namespace=shop&user=local%3Aviewer');
  const row = page.getByTestId('audit-row').first();
  await expect(row.getByTestId('audit-subject')).toHaveText('local:viewer');
  await expect(row.locator('small')).toHaveText('viewer (viewer)');
  await expect(page.getByTestId('audit-subject').filter({ hasNotText: 'local:viewer' })).toHaveCount(0);
});
