import express5 from 'express';
import express4 from 'express4';
import type { RequestHandler } from 'express';
import { enhancedErrorHandler, type EnhancedErrorHandlerOptions } from '../../src';

/**
 * Both supported majors of Express: the HTTP tests of the Express adapter (the handler, notFoundHandler, the error
 * paths, body-parser errors, the fuzz tests' HTTP samples, the catalog router) and of what differs between them run
 * against each.
 */
export const expressVersions = [
  ['express 5', express5],
  ['express 4', express4 as unknown as typeof express5],
] as const;

/**
 * Express 5 alone: for the HTTP tests of what the core and the features decide (formats, normalization, items,
 * clients, integrations), which answer alike on both majors once the adapter does.
 */
export const express5Only = [expressVersions[0]] as const;

export type ExpressFactory = (typeof expressVersions)[number][1];

/** An app with one route per entry and the error handler last. */
export function appWith(express: ExpressFactory, routes: Record<string, RequestHandler>, options: EnhancedErrorHandlerOptions = {}) {
  const app = express();
  app.use(express.json());
  for (const [path, handler] of Object.entries(routes)) app.all(path, handler);
  app.use(enhancedErrorHandler({ log: false, ...options }));
  return app;
}

/** An app with GET /ok after `first`, if given: wrapped by a shedder, a 503 can only come from the wrapper. */
export function okApp(express: ExpressFactory, first?: RequestHandler) {
  const app = express();
  if (first !== undefined) app.use(first);
  app.get('/ok', (_req, res) => {
    res.send('ok');
  });
  return app;
}
