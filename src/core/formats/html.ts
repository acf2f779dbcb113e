import type { Envelope } from '../envelope/envelope';
import type { Formatter } from './formatter';
import { withoutNonXmlChars } from './xml-writer';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values alike. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** A value as page text: escaped, and without what no document may hold (a strict XML parser reads the page too). */
function text(value: string | number): string {
  return escapeHtml(typeof value === 'string' ? withoutNonXmlChars(value) : value);
}

export const PAGE_CSS =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem 1rem}main{max-width:40rem;margin:0 auto}' +
  'h1{font-size:1.5rem;line-height:1.3;margin:0 0 1rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}' +
  'dt{font-weight:600}dd{margin:0}p,dd{overflow-wrap:anywhere}';

/**
 * The base64 SHA-256 of PAGE_CSS, written out so that the core needs no hash
 * function; test/core/formats/html-page.test.ts computes it and fails when the two differ.
 */
export const PAGE_CSS_SHA256 = '8wwYdBSrnWwGYXPb6OgRyMIkeb6Cxy2nqApEjbsMNI0=';

/** No script, nothing loaded: the page's own style is all it may use. */
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${PAGE_CSS_SHA256}'; base-uri 'none'; form-action 'none'`;

/**
 * The head of every page; well-formed XML as well as HTML, so that a strict
 * parser can check it. The CSP is a meta element: the formatter writes bodies only.
 */
const HEAD =
  '<!DOCTYPE html><html><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>' +
  `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}"/><meta name="robots" content="noindex"/>`;

/**
 * The envelope as a small page for a person: message, details, code,
 * status, action, trace and a link to helpUrl, each in an element marked
 * with `data-field`. Written from the envelope alone, so that it shows no
 * more than the JSON would.
 */
function formatPage(envelope: Envelope): string {
  const { action, status, code, message, details, helpUrl, trace } = envelope;
  return (
    `${HEAD}<title>${text(status)} ${text(code)}</title><style>${PAGE_CSS}</style></head><body><main>` +
    `<h1 data-field="message">${text(message)}</h1>` +
    (details === undefined ? '' : `<p data-field="details">${text(details)}</p>`) +
    `<dl><dt>Code</dt><dd><code data-field="code">${text(code)}</code></dd>` +
    `<dt>Status</dt><dd><span data-field="status">${text(status)}</span></dd>` +
    `<dt>Action</dt><dd><span data-field="action">${text(action)}</span></dd>` +
    `<dt>Trace</dt><dd><code data-field="trace">${text(trace)}</code></dd></dl>` +
    (helpUrl === undefined ? '' : `<p><a data-field="helpUrl" href="${text(helpUrl)}">What this error means and what to do</a></p>`) +
    '</main></body></html>'
  );
}

/**
 * The HTML error page the handler offers besides the configured formatters
 * (its `htmlPage` option). Explicit only: chosen when Accept names
 * text/html and ranks it first, as a browser's navigation does, never
 * through a wildcard.
 */
export const htmlPageFormatter: Formatter = {
  mediaTypes: ['text/html'],
  contentType: 'text/html; charset=utf-8',
  explicitOnly: true,
  formatError: formatPage,
};
