import { randomUUID } from 'node:crypto';
import express from 'express';
import { enhancedErrorHandler, passRegistry } from '../src';
import { enhancedErrorHandlerWithItems } from '../src/items';

/** Express 5 by default; the tests also build every variant on Express 4. */
export type ExpressFactory = typeof express;

/** A ratio this variant's requests/s must reach against another variant measured in the same run. */
export interface Comparison {
  variant: string;
  /** The minimum ratio the issue sets, or undefined when the ratio is only informative. */
  target?: number;
  /** Both must answer the same status, headers and body but their ids: checked before loading. */
  sameBytes?: boolean;
}

/**
 * One server measured by the bench: its own process, one route, one kind of
 * request. Adding a variant is adding an entry to VARIANTS.
 */
export interface Variant {
  /** Used on the command line (`--variants`) and in the results. */
  name: string;
  description: string;
  /** The Accept header the load generator sends. */
  accept: string;
  expectedStatus: number;
  /** The body's media type, so that the check before loading can parse it. */
  format: 'json' | 'xml';
  compareTo: readonly Comparison[];
  createApp(expressFactory?: ExpressFactory): ReturnType<ExpressFactory>;
}

const RETRY_AFTER = 30;
const tooManyRequests = passRegistry.get('too_many_requests');

/** The route every handler variant shares: the thrown error the issue names. */
function throwTooManyRequests(): never {
  throw passRegistry.create('too_many_requests', { retryAfter: RETRY_AFTER });
}

function throwTypeError(): never {
  // An unexpected failure: the handler must redact it to a 500.
  throw new TypeError("Cannot read properties of undefined (reading 'id')");
}

/**
 * The head the handler sends with the 429, by hand: the ids are new per
 * response, the rest fixed. A handwritten route that sends the same bytes
 * has to write all of it.
 */
function handwrittenHead(res: import('express').Response, contentType: string): import('express').Response {
  return res.status(429).set({
    'X-Request-Id': randomUUID(),
    'Retry-After': String(RETRY_AFTER),
    'Content-Type': contentType,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Content-Language': 'en',
    Vary: 'Accept',
  });
}

/** The same 429 as the handler's JSON, status, headers and bytes, written the way a route would write it by hand. */
function handwrittenJson(_req: unknown, res: import('express').Response): void {
  const body = JSON.stringify({
    action: tooManyRequests.action,
    status: 429,
    code: tooManyRequests.code,
    message: tooManyRequests.message,
    helpUrl: tooManyRequests.helpUrl,
    trace: randomUUID(),
  });
  handwrittenHead(res, 'application/json; charset=utf-8').send(body);
}

/** The same as XML, by hand: constant markup, and a trace that never needs escaping. */
const XML_HEAD =
  `<?xml version="1.0" encoding="UTF-8"?><error><action>${tooManyRequests.action}</action><status>429</status>` +
  `<code>${tooManyRequests.code}</code><message>${tooManyRequests.message}</message><helpUrl>${tooManyRequests.helpUrl}</helpUrl><trace>`;

function handwrittenXml(_req: unknown, res: import('express').Response): void {
  handwrittenHead(res, 'application/xml; charset=utf-8').send(`${XML_HEAD}${randomUUID()}</trace></error>`);
}

/** An app for handwritten answers: without ETags, which the handler does not send for an error either. */
function handwrittenApp(expressFactory: ExpressFactory) {
  return expressFactory().set('etag', false);
}

/** Loaded only by its own variants, so that no other server carries its modules. */
function strongErrorHandler(): import('strong-error-handler').StrongErrorHandler {
  const createHandler: typeof import('strong-error-handler') = require('strong-error-handler');
  return createHandler({ debug: false, log: false });
}

/** The item-level case: 10 resources, of which 3 (2, 5 and 8) are denied. */
const RESOURCES = Array.from({ length: 10 }, (_, index) => `resource-${index}`);
const DENIED = new Set([2, 5, 8]);
const denied = passRegistry.get('authorization_denied_by_mvpd');

function itemsRoute(expressFactory: ExpressFactory) {
  const errors = enhancedErrorHandlerWithItems({ log: false });
  return expressFactory()
    .get('/', (req, res) => {
      const items = RESOURCES.map((id, index) =>
        DENIED.has(index)
          ? { id, authorized: false, error: passRegistry.create('authorization_denied_by_mvpd') }
          : { id, authorized: true },
      );
      errors.sendItems(req, res, { collection: 'resources', items });
    })
    .use(errors.handler);
}

/** The same item response as sendItems writes, by hand. */
function handwrittenItems(_req: unknown, res: import('express').Response): void {
  const trace = randomUUID();
  res.json({
    resources: RESOURCES.map((id, index) =>
      DENIED.has(index)
        ? {
            id,
            authorized: false,
            error: { action: denied.action, status: denied.status, code: denied.code, message: denied.message, trace },
          }
        : { id, authorized: true },
    ),
  });
}

const VS_HANDWRITTEN_JSON = { variant: 'handwritten-json', target: 0.95, sameBytes: true };
const VS_HANDWRITTEN_XML = { variant: 'handwritten-xml', target: 0.95, sameBytes: true };

export const VARIANTS: readonly Variant[] = [
  // Each target's variants stand side by side, so that a round measures them moments apart.
  {
    name: 'handwritten-json',
    description: '429 by hand, the same status, headers and bytes: res.status(429).set({ ...7 headers }).send(JSON.stringify({...}))',
    accept: 'application/json',
    expectedStatus: 429,
    format: 'json',
    compareTo: [],
    createApp: (expressFactory = express) => handwrittenApp(expressFactory).get('/', handwrittenJson),
  },
  {
    name: 'handler-json',
    description: "enhancedErrorHandler, thrown passRegistry.create('too_many_requests', { retryAfter: 30 }), JSON",
    accept: 'application/json',
    expectedStatus: 429,
    format: 'json',
    compareTo: [VS_HANDWRITTEN_JSON, { variant: 'strong-json', target: 1.3 }, { variant: 'handwritten-json-thrown' }],
    createApp: (expressFactory = express) =>
      expressFactory()
        .get('/', throwTooManyRequests)
        .use(enhancedErrorHandler({ log: false })),
  },
  {
    name: 'strong-json',
    description: 'strong-error-handler on the same thrown error, JSON',
    accept: 'application/json',
    expectedStatus: 429,
    format: 'json',
    compareTo: [],
    createApp: (expressFactory = express) => expressFactory().get('/', throwTooManyRequests).use(strongErrorHandler()),
  },
  {
    name: 'handwritten-xml',
    description: 'the same 429 as XML, by hand, the same status, headers and bytes',
    accept: 'application/xml',
    expectedStatus: 429,
    format: 'xml',
    compareTo: [],
    createApp: (expressFactory = express) => handwrittenApp(expressFactory).get('/', handwrittenXml),
  },
  {
    name: 'handler-xml',
    description: 'the same with Accept: application/xml',
    accept: 'application/xml',
    expectedStatus: 429,
    format: 'xml',
    compareTo: [VS_HANDWRITTEN_XML, { variant: 'strong-xml', target: 1.3 }],
    createApp: (expressFactory = express) =>
      expressFactory()
        .get('/', throwTooManyRequests)
        .use(enhancedErrorHandler({ log: false })),
  },
  {
    name: 'strong-xml',
    description: 'strong-error-handler on the same thrown error, XML',
    accept: 'application/xml',
    expectedStatus: 429,
    format: 'xml',
    compareTo: [],
    createApp: (expressFactory = express) => expressFactory().get('/', throwTooManyRequests).use(strongErrorHandler()),
  },
  {
    // Not in the list: it tells the cost of throwing (stack capture, the router's
    // error path) apart from the handler's own.
    name: 'handwritten-json-thrown',
    description: 'the route throws the same error; an error handler writes the handwritten JSON',
    accept: 'application/json',
    expectedStatus: 429,
    format: 'json',
    compareTo: [{ variant: 'handwritten-json' }],
    createApp: (expressFactory = express) =>
      handwrittenApp(expressFactory)
        .get('/', throwTooManyRequests)
        .use((_error: unknown, req: unknown, res: import('express').Response, _next: unknown) => handwrittenJson(req, res)),
  },
  {
    // Not in the list: the same response from an error built once at start-up, which is
    // safe because the handler only reads the error; it shows what the stack capture costs.
    name: 'handler-json-prebuilt',
    description: 'enhancedErrorHandler, the same error built once at start-up and thrown each time, JSON',
    accept: 'application/json',
    expectedStatus: 429,
    format: 'json',
    compareTo: [{ variant: 'handwritten-json' }],
    createApp: (expressFactory = express) => {
      const overloaded = passRegistry.create('too_many_requests', { retryAfter: RETRY_AFTER });
      return expressFactory()
        .get('/', () => {
          throw overloaded;
        })
        .use(enhancedErrorHandler({ log: false }));
    },
  },
  {
    name: 'handler-500',
    description: 'enhancedErrorHandler, an unexpected TypeError redacted to a 500, JSON',
    accept: 'application/json',
    expectedStatus: 500,
    format: 'json',
    compareTo: [{ variant: 'handwritten-json' }],
    createApp: (expressFactory = express) =>
      expressFactory()
        .get('/', throwTypeError)
        .use(enhancedErrorHandler({ log: false })),
  },
  {
    name: 'handwritten-items-json',
    description: 'an item-level response by hand: 10 resources, 3 with an error object, res.json({...})',
    accept: 'application/json',
    expectedStatus: 200,
    format: 'json',
    compareTo: [],
    createApp: (expressFactory = express) => expressFactory().get('/', handwrittenItems),
  },
  {
    name: 'items-json',
    description:
      "enhancedErrorHandlerWithItems().sendItems: 10 resources, 3 failed with passRegistry.create('authorization_denied_by_mvpd'), JSON",
    accept: 'application/json',
    expectedStatus: 200,
    format: 'json',
    compareTo: [{ variant: 'handwritten-items-json' }],
    createApp: (expressFactory = express) => itemsRoute(expressFactory),
  },
  {
    // handler-json runs with @opentelemetry/api installed and no provider registered: its ratio to this one is the integration's idle cost.
    name: 'handler-json-otel-off',
    description: 'handler-json with openTelemetry: false: @opentelemetry/api never loaded',
    accept: 'application/json',
    expectedStatus: 429,
    format: 'json',
    compareTo: [{ variant: 'handler-json' }],
    createApp: (expressFactory = express) =>
      expressFactory()
        .get('/', throwTooManyRequests)
        .use(enhancedErrorHandler({ log: false, openTelemetry: false })),
  },
];

export function variantNamed(name: string | undefined): Variant {
  const variant = VARIANTS.find((candidate) => candidate.name === name);
  if (variant === undefined) {
    throw new TypeError(`unknown variant ${JSON.stringify(name)}; known: ${VARIANTS.map((v) => v.name).join(', ')}`);
  }
  return variant;
}
