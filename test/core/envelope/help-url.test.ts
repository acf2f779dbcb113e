import type { Request, Response } from 'express';
import createError from 'http-errors';
import request from 'supertest';
import { passRegistry, type RegistryView } from '../../../src';
import { PASS_HELP_URL, passRestV1Registry, passRestV2Registry, vimondRegistry } from '../../../src/core/catalogs';
import { appWith, express5Only } from '../../support/apps';
import { itemsAppWith, SPEC_HELP_URL } from '../../support/item-apps';
import { fields, parseXml, xmlObject } from '../../support/xml';

const OWN_DOCS = 'https://docs.example.com/errors';

/** The registries whose catalog codes point at the specification page, each with one of its catalog codes. */
const passRegistries: [string, RegistryView, string][] = [
  ['passRegistry', passRegistry, 'bad_request'],
  ['passRestV2Registry', passRestV2Registry, 'invalid_parameter_mvpd'],
  ['passRestV1Registry', passRestV1Registry, 'invalid_requestor'],
];

it('PASS_HELP_URL is the page the specification shows in its examples', () => {
  expect(PASS_HELP_URL).toBe(SPEC_HELP_URL);
});

/** A code of the canonical table: the REST lists add some of them (too_many_requests, service_unavailable). */
const isCanonical = (code: string) => passRegistry.has(code) && passRegistry.get(code)?.origin === undefined;

it("gives every spec code of the Pass registries the page (the REST lists' copies of canonical codes too), none of the library's own, and nothing to Vimond's codes", () => {
  for (const [, registry] of passRegistries) {
    for (const entry of registry) {
      const spec = entry.origin !== 'library' || isCanonical(entry.code);
      expect([entry.code, entry.helpUrl]).toEqual([entry.code, spec ? SPEC_HELP_URL : undefined]);
    }
  }
  expect([...vimondRegistry].filter((entry) => entry.helpUrl !== undefined)).toEqual([]);
});

describe.each(express5Only)('%s: helpUrl from the registry', (_name, express) => {
  describe.each(passRegistries)('%s', (_registryName, registry, specCode) => {
    const routes = {
      '/spec': () => {
        throw registry.create(specCode);
      },
      '/own': () => {
        throw registry.create(specCode, { helpUrl: 'https://docs.example.com/this-one' });
      },
      '/http/:status': (req: Request) => {
        throw createError(Number(req.params.status));
      },
    };
    const app = appWith(express, routes, { registry });
    const overridden = appWith(express, routes, { registry, helpUrl: OWN_DOCS });
    const declined = appWith(express, routes, { registry, helpUrl: (error) => (error.code === 'not_found' ? OWN_DOCS : undefined) });

    it('sends the specification page for a catalog code, in JSON and XML', async () => {
      const json = await request(app).get('/spec').set('Accept', 'application/json').expect(400);
      expect(json.body).toMatchObject({ code: specCode, helpUrl: SPEC_HELP_URL });
      expect(Object.keys(json.body)).toEqual(['action', 'status', 'code', 'message', 'helpUrl', 'trace']);
      const asXml = await request(app).get('/spec').set('Accept', 'application/xml').expect(400);
      const sent = fields(parseXml(asXml.text).root);
      expect(sent.map(([name]) => name)).toEqual(['action', 'status', 'code', 'message', 'helpUrl', 'trace']);
      expect(sent).toContainEqual(['helpUrl', SPEC_HELP_URL]);
    });

    it.each([
      [404, 'not_found'],
      [418, 'client_error'],
      [502, 'server_error'],
    ])("sends no helpUrl for the library's addition a thrown %i becomes (%s)", async (status, code) => {
      const json = await request(app).get(`/http/${status}`).expect(status);
      expect(json.body.code).toBe(code);
      expect(Object.keys(json.body)).toEqual(['action', 'status', 'code', 'message', 'trace']);
      const asXml = await request(app).get(`/http/${status}`).set('Accept', 'application/xml').expect(status);
      expect(fields(parseXml(asXml.text).root).map(([name]) => name)).toEqual(['action', 'status', 'code', 'message', 'trace']);
    });

    it("keeps the error's own helpUrl first", async () => {
      for (const server of [app, overridden]) {
        const res = await request(server).get('/own').expect(400);
        expect(res.body.helpUrl).toBe('https://docs.example.com/this-one');
      }
    });

    it("lets the handler's helpUrl option override the registry's, for every code", async () => {
      const spec = await request(overridden).get('/spec').set('Accept', 'application/xml').expect(400);
      expect(fields(parseXml(spec.text).root)).toContainEqual(['helpUrl', OWN_DOCS]);
      const missing = await request(overridden).get('/http/404').expect(404);
      expect(missing.body).toMatchObject({ code: 'not_found', helpUrl: OWN_DOCS });
    });

    it("falls back to the registry's page when a helpUrl function gives none", async () => {
      const spec = await request(declined).get('/spec').expect(400);
      expect(spec.body.helpUrl).toBe(SPEC_HELP_URL);
      const missing = await request(declined).get('/http/404').expect(404);
      expect(missing.body.helpUrl).toBe(OWN_DOCS);
      const teapot = await request(declined).get('/http/418').expect(418);
      expect(teapot.body.helpUrl).toBeUndefined();
    });
  });

  describe("REST lists: the canonical table's codes they copy answer with the canonical table's helpUrl", () => {
    const copies: [string, string, RegistryView][] = [passRestV2Registry, passRestV1Registry].flatMap((registry: RegistryView) =>
      [...registry]
        .filter((entry) => entry.origin === 'library' && isCanonical(entry.code))
        .map((entry): [string, string, RegistryView] => [registry.name, entry.code, registry]),
    );

    it('copies too_many_requests and service_unavailable', () => {
      expect(copies.map(([name, code]) => `${name}.${code}`)).toEqual([
        'passRestV2Registry.too_many_requests',
        'passRestV2Registry.service_unavailable',
        'passRestV1Registry.too_many_requests',
        'passRestV1Registry.service_unavailable',
      ]);
    });

    it.each(copies)(
      '%s: %s, thrown as its status or created, in JSON and XML, as passRegistry answers it',
      async (_name, code, registry) => {
        const status = registry.get(code)?.status ?? 0;
        const routes = {
          '/thrown': () => {
            throw createError(status);
          },
          '/created': () => {
            throw registry.create(code);
          },
        };
        const canonical = await request(appWith(express, routes)).get('/thrown').expect(status);
        expect(canonical.body).toMatchObject({ code, helpUrl: passRegistry.get(code)?.helpUrl });
        const app = appWith(express, routes, { registry });
        for (const path of ['/thrown', '/created']) {
          const json = await request(app).get(path).expect(status);
          expect(json.body).toMatchObject({ code, helpUrl: canonical.body.helpUrl });
          const asXml = await request(app).get(path).set('Accept', 'application/xml').expect(status);
          expect(fields(parseXml(asXml.text).root)).toContainEqual(['helpUrl', canonical.body.helpUrl]);
        }
      },
    );
  });

  describe('item-level errors', () => {
    const app = itemsAppWith(
      express,
      {
        '/items': (errors) => (req: Request, res: Response) =>
          errors.sendItems(req, res, {
            collection: 'resources',
            items: [
              { id: 'a', authorized: true },
              { id: 'b', authorized: false, error: passRestV1Registry.create('authorization_denied_by_mvpd') },
              { id: 'c', authorized: false, error: passRestV1Registry.create('not_found') },
            ],
          }),
      },
      { registry: passRestV1Registry },
    );

    it('the catalog code carries the page, the addition none, in JSON and XML', async () => {
      const json = await request(app).post('/items').set('Accept', 'application/json').expect(200);
      const [a, b, c] = json.body.resources;
      expect(a).toEqual({ id: 'a', authorized: true });
      expect(b.error).toMatchObject({ code: 'authorization_denied_by_mvpd', helpUrl: SPEC_HELP_URL });
      expect(c.error.code).toBe('not_found');
      expect(Object.keys(c.error)).toEqual(['action', 'status', 'code', 'message', 'trace']);

      const asXml = await request(app).post('/items').set('Accept', 'application/xml').expect(200);
      const items = xmlObject(asXml.text, { arrays: ['item'] }).resources.item;
      expect(items[1].error).toMatchObject({ code: 'authorization_denied_by_mvpd', helpUrl: SPEC_HELP_URL });
      expect(items[2].error.code).toBe('not_found');
      expect(items[2].error.helpUrl).toBeUndefined();
    });
  });
});
