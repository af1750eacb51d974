import { expect, type Page } from '@playwright/test';

/** Signs in through the login page as one of the e2e users (password `<name>-password-1`). */
export async function login(
  page: Page,
  user: string,
  password = `${user}-password-1`,
  base = '',
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await expect(page.getByTestId('current-user')).toContainText(user);
}
