import request from 'supertest';
import { createRegistry, EnhancedError, genericErrorCodes, passRegistry } from '../../../src';
import { passCodes, passMessagesFr, passRestV2Registry } from '../../../src/core/catalogs';
import { appWith, express5Only } from '../../support/apps';
import { fields, parseXml } from '../../support/xml';

const localized = createRegistry({ ...passCodes, ...genericErrorCodes }, { name: 'localizedPass', messages: { fr: passMessagesFr } });

const en = (code: keyof typeof passCodes) => passCodes[code].message;
const fr = (code: keyof typeof passMessagesFr) => passMessagesFr[code];

describe('registry message catalogs', () => {
  it('keeps the definitions in the default locale and each catalog in its own', () => {
    expect(localized.locale).toBe('en');
    expect(localized.locales).toEqual(['en', 'fr']);
    expect(localized.message('too_many_requests')).toBe(en('too_many_requests'));
    expect(localized.message('too_many_requests', 'fr')).toBe(fr('too_many_requests'));
    expect(localized.message('too_many_requests', 'FR')).toBe(fr('too_many_requests'));
    expect(localized.message('invalid_domain', 'fr')).toBeUndefined();
    expect(localized.message('too_many_requests', 'de')).toBeUndefined();
    expect(localized.message('too_many_requests', 'not a tag')).toBeUndefined();
  });

  it('ships French for codes of the canonical catalog only, each message its own', () => {
    const codes = Object.keys(passMessagesFr);
    expect(codes.length).toBeGreaterThanOrEqual(5);
    for (const code of codes) {
      expect(passRegistry.has(code)).toBe(true);
      expect(localized.message(code as keyof typeof passCodes, 'fr')).not.toBe(localized.message(code as keyof typeof passCodes));
    }
    expect(new Set(Object.values(passMessagesFr)).size).toBe(codes.length);
  });

  it('canonicalizes locale tags', () => {
    const registry = createRegistry(passCodes, { locale: 'en-gb', messages: { 'fr-ca': { bad_request: 'Requête invalide.' } } });
    expect(registry.locales).toEqual(['en-GB', 'fr-CA']);
  });

  it.each([
    ['an unknown code', { fr: { no_such_code: 'x' } }, /messages\.fr has unknown code "no_such_code"/],
    ['an empty message', { fr: { bad_request: '' } }, /messages\.fr\.bad_request must be a non-empty string/],
    ['a non-string message', { fr: { bad_request: 42 } }, /messages\.fr\.bad_request must be a non-empty string/],
    ['a bad locale tag', { 'français!': { bad_request: 'x' } }, /"français!" is not a language tag/],
    ['the default locale again', { EN: { bad_request: 'x' } }, /locale en is given twice or is the default locale/],
    ['a catalog that is not an object', { fr: 'x' }, /messages\.fr must be an object keyed by code/],
    ['messages that are not an object', ['fr'], /messages must be an object keyed by locale/],
  ])('refuses %s at creation', (_case, messages, expected) => {
    expect(() => createRegistry(passCodes, { name: 'bad', messages: messages as never })).toThrow(expected);
  });

  it('refuses a bad default locale', () => {
    expect(() => createRegistry(passCodes, { locale: '' })).toThrow(/locale: "" is not a language tag/);
    expect(() => createRegistry(passCodes, { locale: '*' })).toThrow(/is not a language tag/);
  });

  it('types catalogs by the registry codes', () => {
    // @ts-expect-error: not a code of the registry
    expect(() => createRegistry(passCodes, { messages: { fr: { no_such_code: 'x' } } })).toThrow(TypeError);
  });
});

describe.each(express5Only)('%s: localized error responses', (_name, express) => {
  const app = appWith(
    express,
    {
      '/limited': () => {
        throw localized.create('too_many_requests', { retryAfter: 5 });
      },
      '/domain': () => {
        throw localized.create('invalid_domain');
      },
      '/own-message': () => {
        throw localized.create('bad_request', { message: 'Field "title" is required.' });
      },
      '/own-message-and-translated': () => {
        throw new AggregateError([
          localized.create('bad_request', { message: 'Field "title" is required.' }),
          localized.create('too_many_requests'),
        ]);
      },
      '/broken': () => {
        throw new TypeError('secret internals');
      },
      '/late-language': (_req, res) => {
        res.setHeader('Content-Language', 'de');
        throw localized.create('access_token_expired');
      },
      '/plain': () => {
        throw passRegistry.create('access_token_expired');
      },
      '/other-registry': () => {
        throw passRestV2Registry.create('invalid_parameter_mvpd');
      },
    },
    {
      registry: localized,
      helpUrl: (error, _req, locale) => `https://errors.example.com/errors?lang=${locale ?? 'none'}#${error.code}`,
      // A code of another registry goes out as it is, so that its localization can be seen.
      strictCodes: 'keep',
    },
  );

  it('varies by Accept-Language when any error of an AggregateError was translated, even if the first was not', async () => {
    const res = await request(app).get('/own-message-and-translated').set('Accept-Language', 'fr').expect(400);
    expect(res.headers.vary).toBe('Accept, Accept-Language');
    expect(res.headers['content-language']).toBeUndefined();
  });

  it('answers in the default locale when Accept-Language is missing', async () => {
    const res = await request(app).get('/limited').expect(429);
    expect(res.body.message).toBe(en('too_many_requests'));
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers.vary).toBe('Accept, Accept-Language');
    expect(res.body.helpUrl).toBe('https://errors.example.com/errors?lang=en#too_many_requests');
  });

  it.each([
    ['fr', 'fr'],
    ['fr-CA,fr;q=0.9,en;q=0.5', 'fr'],
    ['de, fr;q=0.5, en;q=0.1', 'fr'],
    ['de', 'en'],
    ['fr;q=0, en', 'en'],
    ['en;q=0.4, fr;q=0.8', 'fr'],
    ['*', 'en'],
    [';;;q=abc, ', 'en'],
  ])('Accept-Language %p answers in %s', async (acceptLanguage, locale) => {
    const res = await request(app).get('/limited').set('Accept-Language', acceptLanguage).expect(429);
    expect(res.headers['content-language']).toBe(locale);
    expect(res.body.message).toBe(locale === 'fr' ? fr('too_many_requests') : en('too_many_requests'));
    expect(res.body.code).toBe('too_many_requests');
    expect(res.body.helpUrl).toBe(`https://errors.example.com/errors?lang=${locale}#too_many_requests`);
    expect(res.headers['retry-after']).toBe('5');
  });

  it('carries the translated message in XML, UTF-8 intact', async () => {
    const res = await request(app).get('/limited').set('Accept', 'application/xml').set('Accept-Language', 'fr').expect(429);
    expect(res.headers['content-language']).toBe('fr');
    const { root } = parseXml(res.text);
    expect(Object.fromEntries(fields(root))).toMatchObject({ code: 'too_many_requests', message: fr('too_many_requests') });
  });

  it('falls back to the default locale for a code the catalog lacks', async () => {
    const res = await request(app).get('/domain').set('Accept-Language', 'fr').expect(400);
    expect(res.body.message).toBe(en('invalid_domain'));
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers.vary).toBe('Accept, Accept-Language');
  });

  it("sends a route's own message as is, with no language claimed", async () => {
    const res = await request(app).get('/own-message').set('Accept-Language', 'fr').expect(400);
    expect(res.body.message).toBe('Field "title" is required.');
    expect(res.headers['content-language']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept');
    expect(res.body.helpUrl).toBe('https://errors.example.com/errors?lang=none#bad_request');
  });

  it('translates the redacted message of an unexpected error', async () => {
    const res = await request(app).get('/broken').set('Accept-Language', 'fr').expect(500);
    expect(res.body).toMatchObject({ code: 'internal_error', message: fr('internal_error') });
    expect(res.text).not.toContain('secret internals');
    expect(res.headers['content-language']).toBe('fr');
  });

  it('replaces a Content-Language the route set for the body it meant to send', async () => {
    const res = await request(app).get('/late-language').set('Accept-Language', 'fr').expect(401);
    expect(res.headers['content-language']).toBe('fr');
    expect(res.body.message).toBe(fr('access_token_expired'));
  });

  it("localizes by the error's own registry, whichever the handler was given", async () => {
    const plain = await request(app).get('/plain').set('Accept-Language', 'fr').expect(401);
    expect(plain.body.message).toBe(en('access_token_expired'));
    expect(plain.headers['content-language']).toBe('en');
    expect(plain.headers.vary).toBe('Accept');
    const other = await request(app).get('/other-registry').set('Accept-Language', 'fr').expect(400);
    expect(other.body.message).toBe(passRestV2Registry.get('invalid_parameter_mvpd').message);
  });

  it('translates for a handler on the default registry too', async () => {
    const defaultApp = appWith(
      express,
      {
        '/x': () => {
          throw localized.create('authorization_not_found');
        },
        '/ad-hoc': () => {
          throw new EnhancedError({ code: 'video_gone', status: 410, action: 'none', message: 'Gone.' });
        },
      },
      { strictCodes: 'keep' },
    );
    const res = await request(defaultApp).get('/x').set('Accept-Language', 'fr').expect(404);
    expect(res.body.message).toBe(fr('authorization_not_found'));
    const adHoc = await request(defaultApp).get('/ad-hoc').set('Accept-Language', 'fr').expect(410);
    expect(adHoc.headers['content-language']).toBeUndefined();
  });

  it('names the registry locale when the definitions are not English', async () => {
    const french = createRegistry(
      { video_not_found: { status: 404, action: 'none', message: 'La vidéo n’existe pas.' }, ...genericErrorCodes },
      { locale: 'fr', messages: { en: { video_not_found: 'The video does not exist.' } } },
    );
    const frenchApp = appWith(
      express,
      {
        '/v': () => {
          throw french.create('video_not_found');
        },
      },
      { registry: french },
    );
    const none = await request(frenchApp).get('/v').expect(404);
    expect([none.headers['content-language'], none.body.message]).toEqual(['fr', 'La vidéo n’existe pas.']);
    const english = await request(frenchApp).get('/v').set('Accept-Language', 'en-US').expect(404);
    expect([english.headers['content-language'], english.body.message]).toEqual(['en', 'The video does not exist.']);
  });
});

describe.each(express5Only)('%s: localized item-level errors', (_name, express) => {
  const { enhancedErrorHandlerWithItems } = jest.requireActual('../../../src/items') as typeof import('../../../src/items');
  const errors = enhancedErrorHandlerWithItems({ log: false });
  const app = express();
  app.get('/items', (req, res) => {
    errors.sendItems(req, res, {
      collection: 'resources',
      items: [
        { id: 'A', authorized: true },
        { id: 'B', authorized: false, error: localized.create('too_many_requests') },
      ],
    });
  });
  app.use(errors.handler);

  it('translates an item error like a top-level one and says so in the headers', async () => {
    const res = await request(app).get('/items').set('Accept-Language', 'fr-CA, en;q=0.5').expect(200);
    expect(res.body.resources[1].error.message).toBe(fr('too_many_requests'));
    expect(res.headers['content-language']).toBe('fr');
    expect(res.headers.vary).toBe('Accept, Accept-Language');
  });

  it('falls back to the default locale', async () => {
    const res = await request(app).get('/items').set('Accept-Language', 'de').expect(200);
    expect(res.body.resources[1].error.message).toBe(en('too_many_requests'));
    expect(res.headers['content-language']).toBe('en');
  });
});
