import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_KERNEL } from './route';

/**
 * Every API route parses and answers through the route kernel (server/http/route.ts), so a new route cannot skip
 * the parse at the border or answer errors its own way. The exception, for its reason:
 */
const EXCEPTIONS: Record<string, string> = {
  'auth/[...nextauth]/route.ts': "next-auth's own endpoints: their bodies are forms and its answers its own",
};

const API = path.resolve(__dirname, '../../app/api');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return routeFiles(p);
    return f === 'route.ts' ? [p] : [];
  });
}

const files = routeFiles(API).map((file) => path.relative(API, file).split(path.sep).join('/'));
const modules = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  for (const f of files) modules.set(f, (await import(path.join(API, f))) as Record<string, unknown>);
}, 120_000);

describe('the API routes', () => {
  it('finds the route files and every exception is one of them', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const f of Object.keys(EXCEPTIONS)) expect(files).toContain(f);
  });

  it('every exported handler of every other route is made by route()', () => {
    let checked = 0;
    for (const f of files.filter((f) => !(f in EXCEPTIONS))) {
      const handlers = METHODS.map((m) => [m, modules.get(f)?.[m]] as const).filter(([, h]) => h);
      expect(handlers.length, f).toBeGreaterThan(0);
      for (const [m, h] of handlers) {
        expect((h as Record<symbol, unknown>)[ROUTE_KERNEL], `${m} ${f}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
  });
});
