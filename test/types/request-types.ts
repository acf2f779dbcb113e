/**
 * Compile-time checks, run by `npm run typecheck` (tsc includes test/): the
 * handler's structural request and response types take Express's and Node's
 * own, and a callback given a request can read what pino-http adds.
 */
import { createServer } from 'node:http';
import express, { type Request, type Response } from 'express';
import {
  enhancedErrorHandler,
  type HttpRequest,
  type HttpResponse,
  notFoundHandler,
  passRegistry,
  requestContext,
  requestContextOf,
} from '../../src';
import { enhancedErrorHandlerWithItems } from '../../src/items';
import { logErrors } from '../../src/logging';
import { loadShedding } from '../../src/overload';

const app = express();
const { sendItems } = enhancedErrorHandlerWithItems();
const handler = enhancedErrorHandler({ helpUrl: (_error, req) => `https://help.example.com${req.originalUrl ?? req.url ?? '/'}` });
app.use(requestContext());
app.get('/items', (req: Request, res: Response) => {
  const ids = requestContextOf(res);
  sendItems(req, res, { collection: 'resources', items: [{ id: ids?.requestId ?? 'x' }] });
});
app.use(notFoundHandler());
app.use(handler);
app.use(enhancedErrorHandler({ onError: logErrors(console) }));

export const takesExpress: HttpRequest = {} as Request;
export const takesExpressResponse: HttpResponse = {} as Response;

export const server = createServer((req, res) => {
  handler(passRegistry.create('bad_request'), req, res, () => undefined);
});
export const wrapped = createServer(loadShedding({ maxInFlight: 10 }).wrap(app));
