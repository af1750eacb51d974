import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { apiLogin } from '../../e2e/lab-fixture';
import playwrightConfig from '../../playwright.config';

/** Debian's Chromium with the e2e tests' launch options (never `playwright install`). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
}

/** A signed-in user's session: the Cookie header of one login, handed to as many browser contexts as needed. */
export class Session {
  private constructor(
    readonly url: string,
    readonly cookie: string,
  ) {}

  static async login(url: string, user = 'viewer'): Promise<Session> {
    return new Session(url, await apiLogin(url, user));
  }

  /**
   * A browser context of its own per page: Chromium allows 6 connections per host in one context, so 50 tabs of one
   * context could not all hold their live stream open; separate contexts behave like 50 users' browsers.
   */
  async context(browser: Browser): Promise<BrowserContext> {
    // Reduced motion: headless Chromium paints every page as if it were in front, so the live indicator's pulse
    // would repaint 50 pages forever; a real browser paints only the tab in front.
    const ctx = await browser.newContext({ baseURL: this.url, reducedMotion: 'reduce' });
    // tsx wraps named inner functions in `__name(...)`; functions sent to page.evaluate need it in the page too.
    await ctx.addInitScript('globalThis.__name = (f) => f;');
    await ctx.addCookies(
      this.cookie.split('; ').map((pair) => {
        const i = pair.indexOf('=');
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: this.url };
      }),
    );
    return ctx;
  }
}

/** Opens `path` in a new context and waits until the page is live (stream connected and synced). */
export async function openLivePage(browser: Browser, session: Session, urlPath: string): Promise<Page> {
  const ctx = await session.context(browser);
  const page = await ctx.newPage();
  await page.goto(urlPath, { timeout: 120_000 });
  await page.waitForSelector('[data-testid="live-indicator"][data-state="live"]', {
    state: 'attached',
    timeout: 120_000,
  });
  return page;
}

/** The current time on the epoch scale with sub-millisecond resolution (the same scale the pages report). */
export const epochNow = (): number => performance.timeOrigin + performance.now();
