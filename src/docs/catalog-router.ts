import { createHash } from 'node:crypto';
import type { HttpRequest, HttpResponse, NextFunction } from '../adapters/http';
import { addVary } from '../adapters/node/write-answer';
import { preferredMediaType } from '../core/accept-headers';
import { negotiateLocale } from '../core/locale/localize';
import { toCanonicalLocale } from '../core/locale/messages';
import type { RegistryView } from '../core/registry/registry';
import { catalogOf, localeTableFor } from './catalog-data';
import { CATALOG_CSS, renderCatalogPage } from './catalog-page';

export interface CatalogRouterOptions {
  /** The page's heading and title. Default: `Error codes`. */
  title?: string;
  /** A paragraph under the heading. */
  intro?: string;
  /** Cache-Control max-age of the page and its JSON, in seconds. Default: 300. */
  maxAge?: number;
}

export type CatalogMiddleware = (req: HttpRequest, res: HttpResponse, next: NextFunction) => void;

const PAGE_TYPES = ['text/html', 'application/json'];

interface Rendered {
  html: string;
  json: string;
}

/**
 * Serves a registry as a page, `app.use('/errors', catalogRouter(registry))`,
 * so that a helpUrl can point at `/errors#<code>`. `GET /errors` answers HTML
 * or JSON by Accept (`?format=json|html` decides instead), in the locale of
 * `?lang=` or else of Accept-Language. Anything else goes to `next()`.
 *
 * @example
 * app.use('/errors', catalogRouter(registry, { title: 'Video API errors' }));
 * app.use(enhancedErrorHandler({ registry, helpUrl: (error) => `https://api.example.com/errors#${error.code}` }));
 */
export function catalogRouter(registry: RegistryView, options: CatalogRouterOptions = {}): CatalogMiddleware {
  const { title = 'Error codes', intro, maxAge = 300 } = options;
  if (typeof registry !== 'object' || registry === null || typeof registry[Symbol.iterator] !== 'function') {
    throw new TypeError('catalogRouter: registry must be a registry made by createRegistry');
  }
  if (typeof title !== 'string' || title.trim() === '') throw new TypeError('catalogRouter: title must be a non-empty string');
  if (intro !== undefined && typeof intro !== 'string') throw new TypeError('catalogRouter: intro must be a string');
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) throw new TypeError('catalogRouter: maxAge must be a non-negative integer of seconds');

  const { locales, defaultLocale } = localeTableFor(registry);
  // Every locale is rendered now: a page is the same for every request, and a broken registry fails at start-up.
  const rendered = new Map<string, Rendered>();
  for (const locale of locales) {
    const catalog = catalogOf(registry, locale);
    rendered.set(locale, { html: renderCatalogPage(catalog, { title, intro }), json: JSON.stringify(catalog) });
  }
  const defaultPage = rendered.get(defaultLocale) as Rendered;
  const cacheControl = `public, max-age=${maxAge}`;
  const styleHash = createHash('sha256').update(CATALOG_CSS).digest('base64');
  const contentSecurityPolicy = `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

  return function catalogPage(req, res, next) {
    const url = new URL(req.url ?? '/', 'http://catalog.invalid');
    if ((url.pathname !== '/' && url.pathname !== '') || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    const asked = toCanonicalLocale(url.searchParams.get('lang'));
    const locale =
      asked !== undefined && rendered.has(asked)
        ? asked
        : (negotiateLocale(headerText(req.headers['accept-language']), locales) ?? defaultLocale);
    const page = rendered.get(locale) ?? defaultPage;
    const format = url.searchParams.get('format');
    const asJson =
      format === 'json' || (format !== 'html' && preferredMediaType(headerText(req.headers.accept), PAGE_TYPES) === 'application/json');
    const body = asJson ? page.json : page.html;

    res.statusCode = 200;
    res.setHeader('Content-Type', asJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.setHeader('Content-Language', locale);
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!asJson) res.setHeader('Content-Security-Policy', contentSecurityPolicy);
    addVary(res, ['Accept', 'Accept-Language']);
    if (req.method === 'HEAD') res.end();
    else res.end(body);
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
