import http from 'node:http';
import { createRegistry, passRegistry } from '../../src';
import { passMessagesFr } from '../../src/core/catalogs';
import { jsonFormatter, problemJsonFormatter, xmlFormatter } from '../../src/core/formats';
import { loadShedding, type LoadShedding, type LoadSheddingOptions } from '../../src/overload';
import { expressVersions, okApp } from '../support/apps';
import { type Loopback, serveOnLoopback } from '../support/loopback';

/*
 * The head of a shed answer. Wrapped, nothing has set a header yet and the head goes out in
 * one writeHead; through Express (X-Powered-By is set) header by header. Apart from the
 * overload tests, so that the mutation run (which leaves those out: they wait on timers) covers it.
 */

const started: LoadShedding[] = [];
/** Always over its heap limit: every request is shed. */
function alwaysShedding(options: LoadSheddingOptions = {}): LoadShedding {
  const made = loadShedding({ log: false, sampler: () => ({ heapUsedBytes: 1e12 }), ...options });
  started.push(made);
  return made;
}

describe.each(expressVersions)('the shed head on %s', (_name, express) => {
  const servers: Loopback[] = [];
  afterEach(async () => {
    for (const made of started.splice(0)) made.stop();
    await Promise.all(servers.splice(0).map((each) => each.close()));
  });
  async function serve(listener: http.RequestListener): Promise<Loopback> {
    const server = await serveOnLoopback(listener);
    servers.push(server);
    return server;
  }

  it.each([
    ['application/json', 'en'],
    ['application/xml', 'fr'],
    ['application/problem+json', 'en'],
  ])('is the same wrapped as through Express, for %s in %s', async (accept, language) => {
    const options: LoadSheddingOptions = {
      registry: createRegistry(passRegistry.definitions, { messages: { fr: passMessagesFr } }),
      formatters: [jsonFormatter, xmlFormatter, problemJsonFormatter],
    };
    const wrapped = alwaysShedding(options);
    const pair = [await serve(wrapped.wrap(okApp(express))), await serve(okApp(express, alwaysShedding(options)))];
    const heads = await Promise.all(
      pair.map((each) => rawHead(`${each.url}/ok`, { accept, 'accept-language': language, 'x-request-id': 'req-42' })),
    );
    for (const head of heads) {
      expect(head.status).toBe(503);
      expect(head.statusMessage).toBe('Service Unavailable');
      expect(head.headers['x-request-id']).toBe('req-42');
      expect(Number(head.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(head.headers['content-length']).toBe(String(Buffer.byteLength(head.body)));
      expect(head.body).toContain('service_unavailable');
    }
    const [own, viaExpress] = heads as [RawHead, RawHead];
    const comparable = (head: RawHead) => {
      const { 'retry-after': _wait, 'x-powered-by': _framework, date: _date, ...rest } = head.headers;
      return rest;
    };
    expect(own.headers['x-powered-by']).toBeUndefined();
    expect(viaExpress.headers['x-powered-by']).toBe('Express');
    expect(comparable(own)).toEqual(comparable(viaExpress));
    expect(own.headers['content-type']).toContain(accept);
    expect(own.headers['content-language']).toBe(language);
    expect(own.headers.vary).toBe('Accept, Accept-Language');
  });

  it('keeps headers set before the wrapped shedding (Vary added to), and its own head with them', async () => {
    const shedThenApp = alwaysShedding().wrap(okApp(express));
    const server = await serve((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Vary', 'Origin');
      shedThenApp(req, res);
    });
    const head = await rawHead(`${server.url}/ok`, { 'x-request-id': 'req-43' });
    expect(head.status).toBe(503);
    expect(head.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'x-request-id': 'req-43',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(head.body)),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      vary: 'Origin, Accept',
    });
    expect(head.headers['retry-after']).toMatch(/^\d+$/);
  });
});

interface RawHead {
  status: number | undefined;
  statusMessage: string | undefined;
  headers: Record<string, string>;
  body: string;
}

/** One GET with node:http, for the status line and every header as sent. */
function rawHead(url: string, headers: Record<string, string>): Promise<RawHead> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const sent: Record<string, string> = {};
          for (let index = 0; index < res.rawHeaders.length; index += 2) {
            const name = (res.rawHeaders[index] as string).toLowerCase();
            // Each header once: a repeated one would show here as two values.
            sent[name] = sent[name] === undefined ? (res.rawHeaders[index + 1] as string) : `${sent[name]}|${res.rawHeaders[index + 1]}`;
          }
          resolve({ status: res.statusCode, statusMessage: res.statusMessage, headers: sent, body });
        });
      })
      .on('error', reject);
  });
}
