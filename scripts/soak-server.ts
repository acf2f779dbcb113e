/**
 * The service under soak: an Express 5 app whose every route answers with an
 * error through the handler. Started by scripts/soak.ts as a child process,
 * so that its memory is measured apart from the load generator's.
 */
import express from 'express';
import createError from 'http-errors';
import type { AddressInfo } from 'node:net';
import { enhancedErrorHandler, passRegistry } from '../src';

export type SoakMessage =
  { type: 'ready'; port: number } | { type: 'memory'; handled: number; heapUsed: number; rss: number; external: number };

const app = express();
app.use(express.json());
app.get('/registry', () => {
  throw passRegistry.create('invalid_parameter_value', { details: 'The id must be a number.' });
});
app.get('/crash', () => {
  throw new Error('internal detail that must not leave the server');
});
app.get('/missing', () => {
  throw createError(404, 'No such item.', { headers: { 'X-Missing': 'item' } });
});
app.get('/retry', () => {
  throw passRegistry.create('too_many_requests', { retryAfter: 30 });
});
app.get('/long', () => {
  // Cut to the details limit on every response.
  throw passRegistry.create('bad_request', { details: 'x'.repeat(20_000) });
});
app.post('/json', (_req, res) => {
  res.json({ unreachable: true });
});
// Unknown paths too get their 404 from the handler.
app.use((_req, _res, next) => {
  next(createError(404));
});

let handled = 0;
app.use(
  enhancedErrorHandler({
    onError: () => {
      handled += 1;
    },
  }),
);

const server = app.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
});

function send(message: SoakMessage): void {
  process.send?.(message);
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

process.on('message', (message) => {
  if (message === 'memory') {
    // Collected first, so that the reading is what is kept, not what awaits collection.
    collectGarbage?.();
    const { heapUsed, rss, external } = process.memoryUsage();
    send({ type: 'memory', handled, heapUsed, rss, external });
  } else if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
// The parent going away ends the soak too.
process.on('disconnect', () => process.exit(0));
