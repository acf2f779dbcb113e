import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createRegistry, genericErrorCodes, passRegistry, type RegistryView } from '../../src';
import { passCodes, passMessagesFr, passRestV1Registry } from '../../src/core/catalogs';
import { type CatalogRouterOptions, catalogRouter } from '../../src/docs';
import { appWith, expressVersions, type ExpressFactory } from '../support/apps';

const localized = createRegistry({ ...passCodes, ...genericErrorCodes }, { name: 'localizedPass', messages: { fr: passMessagesFr } });

const hostile = createRegistry(
  {
    odd_text: {
      status: 400,
      action: 'none',
      message: `<script>alert("x")</script> & 'quoted' </td></tr>`,
      description: '<img src=x onerror=alert(1)>',
      helpUrl: 'https://example.com/help?a=1&b="2"',
    },
  },
  { name: '<b>registry</b>' },
);

function catalogApp(express: ExpressFactory, registry: RegistryView = localized, options: CatalogRouterOptions = {}) {
  const app = express();
  app.use('/errors', catalogRouter(registry, options));
  return app;
}

/** The `<tr id=…>` anchors of a page, in order. */
function anchors(html: string): string[] {
  return [...html.matchAll(/<tr id="([^"]*)">/g)].map((match) => match[1] as string);
}

describe.each(expressVersions)('%s: catalogRouter', (_name, express) => {
  const app = catalogApp(express);

  it('serves the HTML page with one anchor per code, in registry order', async () => {
    const res = await request(app).get('/errors').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers.vary).toBe('Accept, Accept-Language');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(anchors(res.text)).toEqual(localized.codes);
    // No other id can take a code's anchor: the page's own has a hyphen, which codes never have.
    expect([...res.text.matchAll(/ id="([^"]*)"/g)].map((match) => match[1])).toEqual(['catalog-title', ...localized.codes]);
    for (const code of localized.codes) expect(res.text).toContain(`<a href="#${code}"><code>${code}</code></a>`);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).not.toMatch(/<script/i);
  });

  it('serves the same catalog as JSON, by Accept or by ?format=json', async () => {
    const byAccept = await request(app).get('/errors').set('Accept', 'application/json').expect(200);
    const byQuery = await request(app).get('/errors?format=json').set('Accept', 'text/html').expect(200);
    expect(byAccept.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(byQuery.body).toEqual(byAccept.body);
    expect(byAccept.body).toMatchObject({ registry: 'localizedPass', locale: 'en', locales: ['en', 'fr'] });
    expect(byAccept.body.codes).toEqual(
      [...localized].map((entry) => ({
        code: entry.code,
        action: entry.action,
        status: entry.status,
        statuses: entry.statuses,
        message: entry.message,
        messageLocale: 'en',
        ...(entry.origin === 'library' && { origin: 'library' }),
      })),
    );
    const html = await request(app).get('/errors?format=html').set('Accept', 'application/json').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
  });

  it('shows the page in the locale of ?lang=, else of Accept-Language', async () => {
    const byQuery = await request(app).get('/errors?lang=fr&format=json').set('Accept-Language', 'en').expect(200);
    const byHeader = await request(app).get('/errors?format=json').set('Accept-Language', 'fr-CA, en;q=0.5').expect(200);
    const unknown = await request(app).get('/errors?lang=xx-invalid-!&format=json').set('Accept-Language', 'fr').expect(200);
    for (const res of [byQuery, byHeader, unknown]) {
      expect(res.headers['content-language']).toBe('fr');
      const limited = res.body.codes.find((entry: { code: string }) => entry.code === 'too_many_requests');
      expect(limited).toMatchObject({ message: passMessagesFr.too_many_requests, messageLocale: 'fr' });
      const domain = res.body.codes.find((entry: { code: string }) => entry.code === 'invalid_domain');
      expect(domain).toMatchObject({ message: passCodes.invalid_domain.message, messageLocale: 'en' });
    }
    const page = await request(app).get('/errors?lang=fr').expect(200);
    expect(page.text).toContain('<html lang="fr">');
    // A message the page's locale lacks is marked with its own language.
    expect(page.text).toContain(`<p lang="en">${passCodes.invalid_domain.message}</p>`);
    expect(page.text).toContain('<a href="?lang=fr" hreflang="fr" lang="fr" aria-current="page">fr</a>');
  });

  it('escapes everything a registry holds', async () => {
    const res = await request(catalogApp(express, hostile)).get('/errors').expect(200);
    expect(res.text).not.toMatch(/<script|<img|<b>/);
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &lt;/td&gt;&lt;/tr&gt;');
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.text).toContain('<a href="https://example.com/help?a=1&amp;b=&quot;2&quot;">');
    expect(res.text).toContain('<code>&lt;b&gt;registry&lt;/b&gt;</code>');
    const json = await request(catalogApp(express, hostile)).get('/errors?format=json').expect(200);
    expect(json.body.codes[0]).toMatchObject({ message: hostile.get('odd_text')?.message, helpUrl: 'https://example.com/help?a=1&b="2"' });
  });

  it('answers HEAD with the headers only', async () => {
    const res = await request(app).head('/errors').expect(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(1000);
    expect(res.text ?? '').toBe('');
  });

  it('leaves other paths and methods to the app', async () => {
    await request(app).post('/errors').expect(404);
    await request(app).get('/errors/bad_request').expect(404);
  });

  it('takes title, intro and maxAge', async () => {
    const res = await request(
      catalogApp(express, passRestV1Registry, { title: 'Video API errors', intro: 'Codes & their meaning.', maxAge: 0 }),
    )
      .get('/errors')
      .expect(200);
    expect(res.text).toContain('<title>Video API errors</title>');
    expect(res.text).toContain('<p>Codes &amp; their meaning.</p>');
    expect(res.headers['cache-control']).toBe('public, max-age=0');
    expect(res.headers.vary).toBe('Accept, Accept-Language');
    expect(anchors(res.text)).toEqual(passRestV1Registry.codes);
    // One locale: no language menu.
    expect(res.text).not.toContain('aria-label="Languages"');
  });

  it("is where the handler's helpUrl points, in the error's language", async () => {
    const service = appWith(
      express,
      {
        '/limited': () => {
          throw localized.create('too_many_requests');
        },
      },
      {
        registry: localized,
        helpUrl: (error, req, locale) => `http://${req.headers.host}/errors?lang=${locale ?? 'en'}#${error.code}`,
      },
    );
    service.use('/errors', catalogRouter(localized));
    const server = service.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const error = await fetch(`http://127.0.0.1:${port}/limited`, { headers: { 'Accept-Language': 'fr' } });
      const envelope = (await error.json()) as { helpUrl: string };
      const helpUrl = new URL(envelope.helpUrl);
      expect(helpUrl.hash).toBe('#too_many_requests');
      const page = await fetch(helpUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-language')).toBe('fr');
      const html = await page.text();
      expect(anchors(html)).toContain(helpUrl.hash.slice(1));
      expect(html).toContain(passMessagesFr.too_many_requests);
    } finally {
      server.close();
    }
  });
});

describe('catalogRouter options', () => {
  it.each([
    [{ title: '' }, /title must be a non-empty string/],
    [{ intro: 42 }, /intro must be a string/],
    [{ maxAge: -1 }, /maxAge must be a non-negative integer/],
    [{ maxAge: 1.5 }, /maxAge must be a non-negative integer/],
  ])('refuses %p at start-up', (options, expected) => {
    expect(() => catalogRouter(passRegistry, options as never)).toThrow(expected);
  });

  it('refuses something that is not a registry', () => {
    expect(() => catalogRouter(null as never)).toThrow(/registry must be a registry/);
  });
});
