/**
 * The client module against a real service: parse errors, classify them,
 * retry what may be retried. Run with `npx tsx examples/client.ts`; it starts
 * its own service on a free loopback port and stops it at the end.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { passRegistry } from '../src';
import { enhancedErrorHandlerWithItems } from '../src/items';
import { classifyAction, parseEnhancedError, withItemRetry, withRetry } from '../src/client';

// ---- a small service --------------------------------------------------------

// One options object for the error handler and for item-level responses.
const errors = enhancedErrorHandlerWithItems();

const app = express();
app.use(express.json());

app.get('/channels/live', () => {
  throw passRegistry.create('authorization_denied_by_mvpd', { details: 'Your subscription package does not include the "Live" channel' });
});

let busyCalls = 0;
app.get('/catalog', (_req, res) => {
  busyCalls += 1;
  if (busyCalls === 1) throw passRegistry.create('too_many_requests', { retryAfter: 1 });
  res.json({ channels: ['News', 'Sport'] });
});

// An item-level response: HTTP 200, an `error` in each failed item, one trace for the response.
const timeoutsLeft = new Map([['TestStream2', 1]]);
app.post('/preauthorize', (req, res) => {
  const ids = (req.body as { resources: string[] }).resources;
  const items = ids.map((id) => {
    if (id === 'TestStream3') return { id, authorized: false, error: passRegistry.create('authorization_denied_by_mvpd') };
    const left = timeoutsLeft.get(id) ?? 0;
    if (left === 0) return { id, authorized: true };
    timeoutsLeft.set(id, left - 1);
    return { id, authorized: false, error: passRegistry.create('network_connection_timeout') };
  });
  errors.sendItems(req, res, { collection: 'resources', items });
});

app.get('/gateway', (_req, res) => {
  res.status(502).type('html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
});

app.use(errors.handler);

// ---- the client ---------------------------------------------------------------

async function main(): Promise<void> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    console.log('1. Parse a top-level error, as JSON and as XML');
    for (const accept of ['application/json', 'application/xml']) {
      const result = await parseEnhancedError(await fetch(`${base}/channels/live`, { headers: { accept } }));
      if (result.kind === 'top-level') {
        const { error } = result;
        console.log(
          `   ${result.format}: HTTP ${result.httpStatus}, status field ${error.status}, ${error.code}, action ${error.action} → ${classifyAction(error.action)}`,
        );
        console.log(`   details: ${error.details}; quote trace ${error.trace} and request id ${result.requestId} to support`);
      }
    }

    console.log('2. Retry a retry-after error, honouring Retry-After');
    const { response, attempts } = await withRetry(({ signal }) => fetch(`${base}/catalog`, { signal }), {
      onRetry: ({ attempt, delayMs, response: said }) =>
        console.log(`   attempt ${attempt} failed (${said.kind === 'top-level' ? said.error.code : said.kind}); waiting ${delayMs} ms`),
    });
    console.log(`   HTTP ${response.status} after ${attempts} attempts:`, await response.json());

    console.log('3. Re-send only the failed items marked retry, and merge');
    const { outcomes, failed } = await withItemRetry(['TestStream1', 'TestStream2', 'TestStream3'], (ids, { attempt, signal }) => {
      console.log(`   attempt ${attempt} sends ${ids.join(', ')}`);
      return fetch(`${base}/preauthorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resources: ids }),
        signal,
      });
    });
    for (const outcome of outcomes) {
      console.log(
        `   ${outcome.input}: ${outcome.error ? `${outcome.error.code} (${classifyAction(outcome.error.action)})` : 'authorized'} from attempt ${outcome.attempt}`,
      );
    }
    console.log(`   still failing: ${failed.map((outcome) => outcome.input).join(', ') || 'none'}`);

    console.log('4. Anything else is "not enhanced", never an exception');
    const garbage = await parseEnhancedError(await fetch(`${base}/gateway`));
    if (garbage.kind === 'not-enhanced') console.log(`   HTTP ${garbage.httpStatus}: ${garbage.reason} — ${garbage.description}`);
  } finally {
    server.close();
  }
}

main().catch((failure: unknown) => {
  console.error(failure);
  process.exitCode = 1;
});
