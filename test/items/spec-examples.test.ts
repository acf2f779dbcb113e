import type { Request, Response } from 'express';
import request from 'supertest';
import { passRestV1Registry, passRestV2Registry } from '../../src/core/catalogs';
import { type EnhancedErrorHandlerWithItems } from '../../src/items';
import { express5Only } from '../support/apps';
import { itemsAppWith, SPEC_HELP_URL, SPEC_TRACE } from '../support/item-apps';
import { xmlObject } from '../support/xml';

/*
 * The item-level examples of the newer specification page
 * (reference/enhanced-error-codes-latest.md in the project's source documents), bodies copied as printed.
 * The examples print the denial message without the list's final period,
 * so the routes pass that message as printed.
 */
const REST_V2_DECISIONS = `{
  "decisions": [
    {
      "resource": "REF30",
      "serviceProvider": "REF30",
      "mvpd": "Cablevision",
      "source": "mvpd",
      "authorized": true,
      "token": {
        "issuedAt": 1697094207324,
        "notBefore": 1697094207324,
        "notAfter": 1697094802367,
        "serializedToken": "PHNpZ25hdHVyZUluZm8..."
      }
    },
    {
      "resource": "REF40",
      "serviceProvider": "REF40",
      "mvpd": "Cablevision",
      "source": "mvpd",
      "authorized": false,
      "error" : {
        "action": "none",
        "status": 403,
        "code": "authorization_denied_by_mvpd",
        "message": "The MVPD has returned a \\"Deny\\" decision when requesting authorization for the specified resource",
        "details": "Your subscription package does not include the \\"Live\\" channel",
        "helpUrl": "https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html",
        "trace": "12f6fef9-d2e0-422b-a9d7-60d799abe353"
      }
    }
  ]
}`;

const REST_V1_RESOURCES = `{
  "resources": [
    {
      "id": "TestStream1",
      "authorized": true
    },
    {
      "id": "TestStream2",
      "authorized": false,
      "error": {
        "action": "none",
        "status": 403,
        "code": "authorization_denied_by_mvpd",
        "message": "The MVPD has returned a \\"Deny\\" decision when requesting authorization for the specified resource",
        "details": "Your subscription package does not include the \\"Live\\" channel",
        "helpUrl": "https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html",
        "trace": "12f6fef9-d2e0-422b-a9d7-60d799abe353"
      }
    }
  ]
}`;

const DENIAL = {
  message: 'The MVPD has returned a "Deny" decision when requesting authorization for the specified resource',
  details: 'Your subscription package does not include the "Live" channel',
};

/** REST API v2: one decision per requested resource; REF40's MVPD denies. */
const decisionsRoute = (errors: EnhancedErrorHandlerWithItems) => (req: Request, res: Response) => {
  const resources = errors.readItems(req.body?.resources, 'resources');
  const items = resources.map((resource) => {
    const decision = { resource, serviceProvider: resource, mvpd: 'Cablevision', source: 'mvpd' };
    if (resource === 'REF40') {
      return { ...decision, authorized: false, error: passRestV2Registry.create('authorization_denied_by_mvpd', DENIAL) };
    }
    const token = { issuedAt: 1697094207324, notBefore: 1697094207324, notAfter: 1697094802367, serializedToken: 'PHNpZ25hdHVyZUluZm8...' };
    return { ...decision, authorized: true, token };
  });
  errors.sendItems(req, res, { collection: 'decisions', items });
};

/** REST API v1: TestStream2's MVPD denies. */
const resourcesRoute = (errors: EnhancedErrorHandlerWithItems) => (req: Request, res: Response) => {
  const items = errors
    .readItems(req.body?.resources, 'resources')
    .map((id) =>
      id === 'TestStream2'
        ? { id, authorized: false, error: passRestV1Registry.create('authorization_denied_by_mvpd', DENIAL) }
        : { id, authorized: true },
    );
  errors.sendItems(req, res, { collection: 'resources', items });
};

const specOptions = { helpUrl: SPEC_HELP_URL, generateTrace: () => SPEC_TRACE };

/** XML carries text only: the JSON example with every scalar written as text. */
function asText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asText);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([field, member]) => [field, asText(member)]));
  }
  return String(value);
}

/** `{collection: {item: [...]}}` read from XML → `{collection: [...]}` as in JSON. */
function parseItemsXml(xml: string, collection: string): unknown {
  const parsed = xmlObject(xml, { arrays: ['item'] }) as Record<string, { item: unknown[] }>;
  return { [collection]: parsed[collection]?.item };
}

describe.each(express5Only)('%s: the spec examples', (_name, express) => {
  const v2 = itemsAppWith(express, { '/decisions': decisionsRoute }, { registry: passRestV2Registry, ...specOptions });
  const v1 = itemsAppWith(express, { '/resources': resourcesRoute }, { registry: passRestV1Registry, ...specOptions });

  it('REST API v2 decisions: 200 with REF30 authorized and REF40 denied, byte for byte as printed (whitespace aside)', async () => {
    const res = await request(v2)
      .post('/decisions')
      .send({ resources: ['REF30', 'REF40'] })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe(JSON.stringify(JSON.parse(REST_V2_DECISIONS)));
  });

  it('REST API v1 resources: 200 with TestStream1 authorized and TestStream2 denied, byte for byte as printed', async () => {
    const res = await request(v1)
      .post('/resources')
      .send({ resources: ['TestStream1', 'TestStream2'] })
      .expect(200);
    expect(res.text).toBe(JSON.stringify(JSON.parse(REST_V1_RESOURCES)));
  });

  it('REST API v1 resources in XML: the documented shape', async () => {
    const res = await request(v1)
      .post('/resources')
      .set('Accept', 'application/xml')
      .send({ resources: ['TestStream1', 'TestStream2'] })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><resources>' +
        '<item><id>TestStream1</id><authorized>true</authorized></item>' +
        '<item><id>TestStream2</id><authorized>false</authorized><error>' +
        '<action>none</action><status>403</status><code>authorization_denied_by_mvpd</code>' +
        `<message>${DENIAL.message}</message><details>${DENIAL.details}</details>` +
        `<helpUrl>${SPEC_HELP_URL}</helpUrl><trace>${SPEC_TRACE}</trace>` +
        '</error></item></resources>',
    );
  });

  it.each([
    ['decisions', () => v2, REST_V2_DECISIONS, ['REF30', 'REF40']],
    ['resources', () => v1, REST_V1_RESOURCES, ['TestStream1', 'TestStream2']],
  ] as const)('the %s example parses back from XML to the JSON example, fields in order', async (collection, app, json, resources) => {
    const res = await request(app()).post(`/${collection}`).set('Accept', 'text/xml').send({ resources }).expect(200);
    const parsed = parseItemsXml(res.text, collection);
    const expected = asText(JSON.parse(json));
    expect(parsed).toEqual(expected);
    // toEqual ignores key order; the field order of every item is part of the shape.
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(expected));
  });

  it("an item's XML <error> is exactly the top-level XML error for the same error", async () => {
    const app = itemsAppWith(
      express,
      {
        '/resources': resourcesRoute,
        '/top': () => () => {
          throw passRestV1Registry.create('authorization_denied_by_mvpd', DENIAL);
        },
      },
      { registry: passRestV1Registry, ...specOptions },
    );
    const top = await request(app).get('/top').set('Accept', 'application/xml').expect(403);
    const items = await request(app)
      .post('/resources')
      .set('Accept', 'application/xml')
      .send({ resources: ['TestStream2'] })
      .expect(200);
    const topError = top.text.replace(/^<\?xml[^>]*\?>/, '');
    expect(topError).toMatch(/^<error>.*<\/error>$/);
    expect(items.text).toContain(`<authorized>false</authorized>${topError}</item>`);
  });
});
