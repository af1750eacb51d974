import type { Flags } from './faults-config.js';
import { escapeHtml } from './html.js';
import { versionColour } from './version-colour.js';

export type PageInput = { version: string; hostname: string; flags: Flags };

export const NEW_BANNER_TEXT = 'New checkout experience';

/** The landing page: the version in its colour, plus the banner when the newBanner flag is on. */
export function renderPage({ version, hostname, flags }: PageInput): string {
  const colour = versionColour(version);
  const banner = flags.newBanner
    ? `<div class="banner" data-flag="newBanner">${escapeHtml(NEW_BANNER_TEXT)}</div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>webapp ${escapeHtml(version)}</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;background:#0f172a;color:#f8fafc;display:flex;min-height:100vh;align-items:center;justify-content:center}
.card{border-top:12px solid ${escapeHtml(colour)};background:#1e293b;padding:2rem 3rem;border-radius:12px;text-align:center}
.version{font-size:4rem;font-weight:700;color:${escapeHtml(colour)};margin:.5rem 0}
.banner{background:#16a34a;color:#fff;padding:.5rem 1rem;border-radius:8px;margin-bottom:1rem;font-weight:600}
.host{color:#94a3b8;font-size:.9rem}
</style>
</head>
<body>
<main class="card">
${banner}
<div>webapp</div>
<div class="version" data-version="${escapeHtml(version)}">${escapeHtml(version)}</div>
<div class="host">served by ${escapeHtml(hostname)}</div>
</main>
</body>
</html>
`;
}
