import { escapeHtml } from '../core/formats/html';
import { type Catalog, type CatalogCode, LIBRARY_ADDITION_NOTE, statusesText } from './catalog-data';

/** What a catalog page says besides its codes. */
export interface CatalogPageText {
  /** The page's heading and title. */
  title: string;
  /** A paragraph under the heading. */
  intro?: string;
}

/**
 * Plain CSS, no script: `:target` highlights the code a helpUrl points at,
 * and narrow screens get one block per code instead of a wide table.
 */
export const CATALOG_CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #4d5560; --bg: #ffffff; --line: #d5d9de; --stripe: #f5f7f9; --accent: #0b5cad; --target: #fff4c2; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --muted: #b3b9c2; --bg: #16181c; --line: #3a3f47; --stripe: #1e2126; --accent: #8ab8f0; --target: #4a3f10; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
h1 { margin: 0.5rem 0; font-size: 1.75rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.meta { color: var(--muted); }
nav ul { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0.5rem 0; padding: 0; list-style: none; }
nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--fg); }
table { width: 100%; border-collapse: collapse; }
th, td { padding: 0.6rem 0.75rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { border-bottom-width: 2px; }
tbody tr:nth-child(even) { background: var(--stripe); }
tbody tr { scroll-margin-top: 1rem; }
tbody tr:target { background: var(--target); outline: 2px solid var(--accent); }
th[scope="row"], td.nowrap { font-weight: 400; white-space: nowrap; }
code { font: 0.9rem/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.action { display: inline-block; padding: 0 0.5rem; border: 1px solid var(--line); border-radius: 1rem; white-space: nowrap; }
td p { margin: 0; }
td p + p { margin-top: 0.4rem; color: var(--muted); }
@media (max-width: 48rem) {
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table, tbody, tr, th, td { display: block; }
  tr { border-bottom: 1px solid var(--line); padding: 0.5rem 0; }
  th, td { border: 0; padding: 0.2rem 0.75rem; }
  th[scope="row"] { white-space: normal; overflow-wrap: anywhere; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
}
`.trim();

function row(entry: CatalogCode, pageLocale: string): string {
  const code = escapeHtml(entry.code);
  const lang = entry.messageLocale === pageLocale ? '' : ` lang="${escapeHtml(entry.messageLocale)}"`;
  const statuses = escapeHtml(statusesText(entry.statuses));
  const retry = entry.retryAfter === undefined ? '' : `<p lang="en">Retry-After: ${escapeHtml(entry.retryAfter)} s</p>`;
  const description = entry.description === undefined ? '' : `<p>${escapeHtml(entry.description)}</p>`;
  const help = entry.helpUrl === undefined ? '' : `<p><a href="${escapeHtml(entry.helpUrl)}">${escapeHtml(entry.helpUrl)}</a></p>`;
  const origin = entry.origin === 'library' ? `<p lang="en"><em>${escapeHtml(LIBRARY_ADDITION_NOTE)}</em></p>` : '';
  return (
    `<tr id="${code}">` +
    `<th scope="row"><a href="#${code}"><code>${code}</code></a></th>` +
    `<td class="nowrap" data-label="Action"><span class="action">${escapeHtml(entry.action)}</span></td>` +
    `<td class="nowrap" data-label="Status">${statuses}</td>` +
    `<td data-label="Message"><p${lang}>${escapeHtml(entry.message)}</p>${description}${retry}${help}${origin}</td>` +
    `</tr>`
  );
}

function languageNav(catalog: Catalog): string {
  if (catalog.locales.length < 2) return '';
  const links = catalog.locales.map((locale) => {
    const current = locale === catalog.locale ? ' aria-current="page"' : '';
    const tag = escapeHtml(locale);
    return `<li><a href="?lang=${encodeURIComponent(locale)}" hreflang="${tag}" lang="${tag}"${current}>${tag}</a></li>`;
  });
  return `<nav aria-label="Languages" lang="en"><ul>${links.join('')}</ul></nav>`;
}

/**
 * A complete, self-contained HTML document: escaped, no script, one stable
 * anchor per code (`#<code>`). The page's language is the messages'; the few
 * words of the page itself are English and say so. Its one other id has a
 * hyphen, which no code has.
 */
export function renderCatalogPage(catalog: Catalog, text: CatalogPageText): string {
  const title = escapeHtml(text.title);
  const intro = text.intro === undefined ? '' : `<p>${escapeHtml(text.intro)}</p>`;
  const json = `?format=json&amp;lang=${encodeURIComponent(catalog.locale)}`;
  const count = catalog.codes.length;
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(catalog.locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${CATALOG_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1 id="catalog-title">${title}</h1>`,
    intro,
    `<p class="meta" lang="en">Registry <code>${escapeHtml(catalog.registry)}</code> · ${count} ${count === 1 ? 'code' : 'codes'} · <a href="${json}" type="application/json">JSON</a></p>`,
    languageNav(catalog),
    '</header>',
    '<main>',
    '<table aria-labelledby="catalog-title">',
    '<thead lang="en"><tr><th scope="col">Code</th><th scope="col">Action</th><th scope="col">Status</th><th scope="col">Message</th></tr></thead>',
    `<tbody>${catalog.codes.map((entry) => row(entry, catalog.locale)).join('\n')}</tbody>`,
    '</table>',
    '</main>',
    '</body>',
    '</html>\n',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
