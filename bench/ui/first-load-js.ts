import { gzipSync } from 'node:zlib';

export interface FirstLoadJs {
  page: string;
  scripts: number;
  /**
   * Sum over every `<script src>` of the page's HTML a browser runs, in kB (1,000 bytes), raw and gzip -9 (as
   * `next build` counts). A `nomodule` script (Next.js' polyfills for browsers without ES modules) is not fetched by
   * any browser that runs the page's module-era code, so it is listed in `noModule` and not summed.
   */
  rawKb: number;
  gzipKb: number;
  files: Array<{ src: string; bytes: number; gzipBytes: number }>;
  noModule: Array<{ src: string; bytes: number; gzipBytes: number }>;
}

/** Fetches the page as a signed-in user and sums the sizes of the scripts its HTML loads. */
export async function firstLoadJs(url: string, cookie: string, page: string): Promise<FirstLoadJs> {
  const res = await fetch(`${url}${page}`, { headers: { cookie }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${page}: ${res.status}`);
  const html = await res.text();
  const tags = [...html.matchAll(/<script\b([^>]*)\ssrc="([^"]+)"([^>]*)>/g)];
  const seen = new Set<string>();
  const files = [];
  const noModule = [];
  for (const tag of tags) {
    const src = tag[2]?.replaceAll('&amp;', '&');
    if (!src || seen.has(src)) continue;
    seen.add(src);
    const js = await fetch(new URL(src, url), { signal: AbortSignal.timeout(30_000) });
    if (!js.ok) throw new Error(`GET ${src}: ${js.status}`);
    const body = Buffer.from(await js.arrayBuffer());
    const file = { src, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    if (/\snomodule\b/i.test(` ${tag[1]} ${tag[3]}`)) noModule.push(file);
    else files.push(file);
  }
  if (files.length === 0) throw new Error(`${page} loads no script: not the page expected (signed out?)`);
  const kb = (n: number) => Math.round(n / 10) / 100;
  return {
    page,
    scripts: files.length,
    rawKb: kb(files.reduce((s, f) => s + f.bytes, 0)),
    gzipKb: kb(files.reduce((s, f) => s + f.gzipBytes, 0)),
    files,
    noModule,
  };
}
