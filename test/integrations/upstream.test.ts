import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import request from 'supertest';
import express5 from 'express';
import createHttpError from 'http-errors';
import {
  createRegistry,
  type EnhancedError,
  enhancedErrorHandler,
  type EnhancedErrorHandlerOptions,
  genericErrorCodes,
  passRegistry,
} from '../../src';
import { passRestV1Registry, vimondRegistry } from '../../src/core/catalogs';
import { vimondFormatter } from '../../src/core/formats';
import { fetchFailureKind, fetchFailureMapper } from '../../src/core/normalize/mappers';
import { fromUpstreamResponse, upstreamRelay, UpstreamError } from '../../src/integrations/upstream';
import { express5Only, type ExpressFactory } from '../support/apps';
import { asSent, BUILT_IN_SERVICES, type BuiltInRegistryName, codeSent } from '../support/built-in-services';
import { serveOnLoopback, type Loopback } from '../support/loopback';
import { fields, parseXml } from '../support/xml';

// Real servers and sockets on a shared machine: room beyond Jest's 5 s, while each request keeps its own bound.
jest.setTimeout(30_000);

const SECRET = 'db-password-hunter2';

/** The upstream: an Express service that answers with Enhanced Error Codes of its own, or misbehaves. */
function upstreamApp() {
  const app = express5();
  app.get('/session', () => {
    throw passRegistry.create('authentication_session_missing', { details: 'Sign in with your TV provider again.' });
  });
  app.get('/busy', () => {
    throw passRegistry.create('too_many_requests', { retryAfter: 17 });
  });
  app.get('/crash', () => {
    throw new Error(SECRET);
  });
  app.get('/unavailable', () => {
    throw passRegistry.create('service_unavailable', { details: `pool exhausted (${SECRET})` });
  });
  app.get('/html', (_req, res) => {
    res.status(502).type('html').send(`<html><body>Bad gateway ${SECRET}</body></html>`);
  });
  app.get('/unknown-code', (_req, res) => {
    res.status(401).json({ action: 'authentication', status: 401, code: 'upstream_special_login', message: SECRET });
  });
  app.get('/cut', (req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': '400' });
    res.write('{"action":"retry","status":503,"code":"serv');
    setTimeout(() => req.socket.destroy(), 20);
  });
  app.get('/cut-ok', (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '400' });
    res.write('{"items":[');
    setTimeout(() => req.socket.destroy(), 20);
  });
  app.get('/reset', (req) => {
    req.socket.destroy();
  });
  app.use(enhancedErrorHandler({ log: false, generateTrace: () => 'upstream-trace-42' }));
  return app;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

let upstream: Loopback;
let silent: Server;
let silentUrl: string;
let tls: Server;
let tlsUrl: string;
let closedUrl: string;
let certDir: string;

beforeAll(async () => {
  upstream = await serveOnLoopback(upstreamApp());
  // Accepts connections and never answers.
  silent = createHttpServer(() => undefined);
  silentUrl = `http://127.0.0.1:${await listen(silent)}`;
  // Nothing listens on port 2 (fetch refuses port 1), and listen(0) never hands it out: a port freed by a server
  // of this run could be taken at once by a server of another test file running beside it.
  closedUrl = 'http://127.0.0.1:2';
  // A self-signed certificate, made by Debian's openssl for this run.
  certDir = mkdtempSync(join(tmpdir(), 'upstream-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      join(certDir, 'key.pem'),
      '-out',
      join(certDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  tls = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (_req, res) => {
    res.end('{}');
  });
  tlsUrl = `https://127.0.0.1:${await listen(tls)}`;
});

afterAll(async () => {
  await upstream.close();
  await close(silent);
  await close(tls);
  rmSync(certDir, { recursive: true, force: true });
});

interface Seen {
  errors: EnhancedError[];
}

/**
 * The service under test: `/call?to=URL&timeout=MS` fetches the upstream (passing the
 * client's Accept on), reads the body, and relays a failed answer; fetch
 * failures go through the fetch mapper before the handler.
 */
function serviceApp(express: ExpressFactory, seen: Seen, options: EnhancedErrorHandlerOptions = {}) {
  const registry = options.registry ?? passRegistry;
  // The handler's options, given to the relay too.
  const relay = upstreamRelay({ ...options, upstream: 'entitlements' });
  const mapFetchFailure = fetchFailureMapper(registry);
  const app = express();
  const call: RequestHandler = async (req, res, next) => {
    try {
      const response = await fetch(String(req.query.to), {
        headers: { Accept: req.headers.accept ?? 'application/json' },
        signal: AbortSignal.timeout(Number(req.query.timeout ?? 2000)),
      });
      if (!response.ok) throw await relay(response);
      res.json({ upstream: await response.json() });
    } catch (error) {
      next(error);
    }
  };
  app.get('/call', call);
  const mapFailures: ErrorRequestHandler = (error, _req, _res, next) => next(mapFetchFailure(error) ?? error);
  app.use(mapFailures);
  app.use(enhancedErrorHandler({ ...options, log: false, onError: (error) => seen.errors.push(error) }));
  return app;
}

/** Calls the upstream at `to`; the fetch gives up after `timeout` ms (generous by default: the machine may be busy). */
function get(app: ReturnType<typeof serviceApp>, to: string, timeout = 2000) {
  return request(app).get('/call').query({ to, timeout }).timeout(5000);
}

describe('fetch failure kinds', () => {
  it('reads undici’s shapes, including timeouts it reports by code', () => {
    const failed = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code }) });
    expect(fetchFailureKind(failed('ECONNREFUSED'))).toBe('connection-failure');
    expect(fetchFailureKind(failed('ENOTFOUND'))).toBe('connection-failure');
    expect(fetchFailureKind(failed('ECONNRESET'))).toBe('connection-failure');
    expect(fetchFailureKind(failed('UND_ERR_SOCKET'))).toBe('connection-failure');
    expect(fetchFailureKind(failed('UND_ERR_CONNECT_TIMEOUT'))).toBe('connection-timeout');
    expect(fetchFailureKind(failed('UND_ERR_HEADERS_TIMEOUT'))).toBe('connection-timeout');
    expect(fetchFailureKind(failed('UND_ERR_BODY_TIMEOUT'))).toBe('received-error');
    expect(fetchFailureKind(failed('CERT_HAS_EXPIRED'))).toBe('required-ssl');
    expect(fetchFailureKind(failed('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('required-ssl');
    expect(
      fetchFailureKind(
        new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]) }),
      ),
    ).toBe('connection-failure');
    expect(fetchFailureKind(new DOMException('timed out', 'TimeoutError'))).toBe('connection-timeout');
    expect(fetchFailureKind(new DOMException('aborted', 'AbortError'))).toBeUndefined();
    expect(fetchFailureKind(new TypeError('fetch failed'))).toBeUndefined();
    expect(fetchFailureKind(failed('ESOMETHINGELSE'))).toBeUndefined();
    expect(fetchFailureKind(new TypeError('x is not a function'))).toBeUndefined();
    expect(fetchFailureKind(null)).toBeUndefined();
  });

  it('checks its options at start-up', () => {
    expect(() => fetchFailureMapper(passRegistry, { codes: { 'connection-failure': 'nope' } })).toThrow(/codes\["connection-failure"\]/);
    expect(() => fetchFailureMapper(passRegistry, { codes: { 'no-such-kind': 'internal_error' } as never })).toThrow(/unknown kind/);
    expect(() => fetchFailureMapper(undefined as never)).toThrow(/registry/);
    expect(() => upstreamRelay({ failureCode: 'nope' })).toThrow(/failureCode option/);
    expect(() => upstreamRelay({ relayActions: ['sing'] as never })).toThrow(/relayActions option/);
    expect(() => upstreamRelay({ registry: {} as never })).toThrow(/registry option/);
  });

  it('names the code and the registry when the failure code, or what the handler answers for a 502, is not in the registry', () => {
    expect(() => upstreamRelay({ registry: vimondRegistry, failureCode: 'network_received_error' })).toThrow(
      'upstreamRelay: vimondRegistry has no code "network_received_error" (failureCode option)',
    );
    // The mapper's 400 bad_request is mapped to Vimond's own 400 code: the status is what is wrong.
    expect(() =>
      upstreamRelay({ registry: vimondRegistry, formatters: [vimondFormatter], mappers: [() => passRegistry.create('bad_request')] }),
    ).toThrow(
      'upstreamRelay: a thrown 502 is answered 400 invalid_request_param_1003 (a mapper changes its status), so vimondRegistry gives no code for status 502: ' +
        'pass the code option, or let the mappers leave a 502 alone',
    );
    expect(() => upstreamRelay({ registry: vimondRegistry, strictCodes: 'keep', mappers: [toElsewhere] })).toThrow(
      "upstreamRelay: a thrown 502 is answered 502 upstream_down, which is not a code of vimondRegistry (strictCodes 'keep' sends a mapper's code as it is): " +
        'pass the code option, or make the mapper answer a code of vimondRegistry',
    );
  });

  it("checks the handler's own options as the handler does", () => {
    expect(() => upstreamRelay({ formatters: [] })).toThrow('upstreamRelay: formatters option must be a non-empty array');
    expect(() => upstreamRelay({ statusCodes: { 502: 'nope' } })).toThrow(
      'upstreamRelay: statusCodes[502]: passRegistry has no code "nope"',
    );
  });
});

/** What a client of a service on each built-in registry reads, code and status, for three upstream answers. */
const EXPECTED: Record<BuiltInRegistryName, Record<'session' | 'busy' | 'crash', readonly [string, number]>> = {
  passRegistry: {
    session: ['authentication_session_missing', 401],
    busy: ['too_many_requests', 429],
    crash: ['network_received_error', 403],
  },
  // REST v2 has no authentication_session_missing: not relayed.
  passRestV2Registry: {
    session: ['network_received_error', 403],
    busy: ['too_many_requests', 429],
    crash: ['network_received_error', 403],
  },
  // REST v1's authentication_session_missing allows 403 and 412, not the upstream's 401.
  passRestV1Registry: {
    session: ['authentication_session_missing', 403],
    busy: ['too_many_requests', 429],
    crash: ['network_received_error', 403],
  },
  // Vimond has none of the Pass codes, nor a network code: its code for a 502, sent as Vimond's UNKNOWN.
  vimondRegistry: { session: ['server_error', 502], busy: ['server_error', 502], crash: ['server_error', 502] },
};

describe.each(express5Only)('upstream calls over real loopback sockets on %s', (_name, express) => {
  let seen: Seen;
  let app: ReturnType<typeof serviceApp>;
  beforeEach(() => {
    seen = { errors: [] };
    app = serviceApp(express, seen);
  });

  it('a closed port is network_connection_failure (retry)', async () => {
    const res = await get(app, `${closedUrl}/anything`).expect(403);
    expect(res.body).toMatchObject({ code: 'network_connection_failure', action: 'retry', status: 403 });
    expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(seen.errors[0]?.cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });

  it('a server that never answers is network_connection_timeout', async () => {
    const started = Date.now();
    const res = await get(app, `${silentUrl}/anything`, 300).expect(403);
    expect(res.body).toMatchObject({ code: 'network_connection_timeout', action: 'retry' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a socket destroyed before the answer is network_connection_failure', async () => {
    const res = await get(app, `${upstream.url}/reset`).expect(403);
    expect(res.body.code).toBe('network_connection_failure');
  });

  it('a socket destroyed mid-body is network_received_error, whether the status was an error or not', async () => {
    const failed = await get(app, `${upstream.url}/cut`).expect(403);
    expect(failed.body.code).toBe('network_received_error');
    const cause = seen.errors[0]?.cause as UpstreamError;
    expect(cause).toBeInstanceOf(UpstreamError);
    expect(cause).toMatchObject({ httpStatus: 503, parsed: 'not-enhanced', upstream: 'entitlements' });
    const cut = await get(app, `${upstream.url}/cut-ok`).expect(403);
    expect(cut.body.code).toBe('network_received_error');
  });

  it('a self-signed TLS server is network_required_ssl', async () => {
    const res = await get(app, `${tlsUrl}/anything`).expect(403);
    expect(res.body).toMatchObject({ code: 'network_required_ssl', action: 'configuration' });
    expect(res.text).not.toMatch(/self.signed|DEPTH_ZERO/i);
  });

  it('relays an upstream authentication error (JSON) with its code and details; trace and request id go to the cause', async () => {
    const res = await get(app, `${upstream.url}/session`).expect(401);
    expect(res.body).toMatchObject({
      action: 'authentication',
      status: 401,
      code: 'authentication_session_missing',
      details: 'Sign in with your TV provider again.',
    });
    expect(res.body.trace).not.toBe('upstream-trace-42');
    const cause = seen.errors[0]?.cause as UpstreamError;
    expect(cause).toMatchObject({ trace: 'upstream-trace-42', httpStatus: 401, parsed: 'top-level' });
    // The upstream's own request id (its handler made one), not this service's.
    expect(cause.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(cause.requestId).not.toBe(res.headers['x-request-id']);
    expect(cause.message).toContain('authentication_session_missing');
  });

  it('relays an upstream retry-after error (XML) with its Retry-After', async () => {
    const res = await get(app, `${upstream.url}/busy`).set('Accept', 'application/xml').expect(429);
    expect(res.headers['retry-after']).toBe('17');
    const { root } = parseXml(res.text);
    expect(Object.fromEntries(fields(root))).toMatchObject({ action: 'retry-after', code: 'too_many_requests', status: '429' });
    expect((seen.errors[0]?.cause as UpstreamError).trace).toBe('upstream-trace-42');
  });

  it('an upstream 5xx, an HTML page or an unknown code becomes network_received_error and never leaks', async () => {
    for (const path of ['/crash', '/unavailable', '/html', '/unknown-code']) {
      const res = await get(app, `${upstream.url}${path}`).expect(403);
      expect(res.body).toMatchObject({ code: 'network_received_error', action: 'retry' });
      expect(res.body.details).toBeUndefined();
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toContain('upstream-trace-42');
    }
    expect(seen.errors.map((error) => (error.cause as UpstreamError).httpStatus)).toEqual([500, 503, 502, 401]);
  });

  it('falls back to what normalize makes of 502/504 when the registry lacks the network codes', async () => {
    const v1 = serviceApp(express, seen, { registry: passRestV1Registry });
    // REST v1 has no network_connection_failure: 502 through normalize.
    const closed = await get(v1, `${closedUrl}/anything`);
    expect(closed.status).toBeGreaterThanOrEqual(500);
    expect(passRestV1Registry.has(closed.body.code)).toBe(true);
    // It has network_connection_timeout and network_received_error.
    expect((await get(v1, `${silentUrl}/x`, 300).expect(403)).body.code).toBe('network_connection_timeout');
    expect((await get(v1, `${upstream.url}/crash`).expect(403)).body.code).toBe('network_received_error');

    const vimond = serviceApp(express, seen, { registry: vimondRegistry });
    const failed = await get(vimond, `${upstream.url}/crash`);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.text).not.toContain(SECRET);
  });
});

describe.each(express5Only)('the relay takes the handler’s options on %s', (_name, express) => {
  it.each(BUILT_IN_SERVICES)('%s: every code sent is a code of the registry', async (registryName, options) => {
    const expected = EXPECTED[registryName];
    const seen: Seen = { errors: [] };
    const app = serviceApp(express, seen, options);
    for (const [path, [code, status]] of Object.entries(expected)) {
      const res = await get(app, `${upstream.url}/${path}`);
      expect([path, res.status, codeSent(res)]).toEqual([path, status, asSent(options, code)]);
      expect(res.text).not.toContain(SECRET);
    }
    expect(seen.errors.map((error) => options.registry.has(error.code))).toEqual([true, true, true]);
    // The upstream's wait is relayed with its code; a failure says nothing of it.
    const busy = await get(app, `${upstream.url}/busy`);
    expect(busy.headers['retry-after']).toBe(expected.busy[0] === 'too_many_requests' ? '17' : undefined);
  });

  it('answers the code the handler’s statusCodes give a 502 when the registry has no network_received_error', async () => {
    const registry = createRegistry({
      ...genericErrorCodes,
      upstream_failed: { status: 502, action: 'retry', message: 'A service we rely on failed.' },
    });
    const seen: Seen = { errors: [] };
    const app = serviceApp(express, seen, { registry, statusCodes: { 502: 'upstream_failed' } });
    const res = await get(app, `${upstream.url}/crash`).expect(502);
    expect(res.body).toMatchObject({ code: 'upstream_failed', action: 'retry', status: 502 });
    expect((seen.errors[0]?.cause as UpstreamError).httpStatus).toBe(500);
  });

  it("fails, under strictCodes 'map', with the registry's own 502 code where a mapper gives another registry's", async () => {
    const seen: Seen = { errors: [] };
    const app = serviceApp(express, seen, { registry: vimondRegistry, mappers: [toElsewhere] });
    const res = await get(app, `${upstream.url}/crash`).expect(502);
    expect(res.body).toMatchObject({ code: EXPECTED.vimondRegistry.crash[0], status: 502 });
    expect(seen.errors.map((error) => error.code)).toEqual([EXPECTED.vimondRegistry.crash[0]]);
  });
});

/** Another registry's 502, answered by a mapper for any thrown 502. */
const elsewhere = createRegistry({ upstream_down: { status: 502, action: 'retry', message: 'Upstream down.' }, ...genericErrorCodes });
function toElsewhere(thrown: unknown): EnhancedError | undefined {
  return createHttpError.isHttpError(thrown) && thrown.status === 502 ? elsewhere.create('upstream_down') : undefined;
}

describe('fromUpstreamResponse', () => {
  it('works on a Response without a prepared relay, and a code the registry has with another action is not relayed', async () => {
    const response = new Response(JSON.stringify({ action: 'authentication', status: 403, code: 'internal_error', message: 'x' }), {
      status: 403,
      headers: { 'Content-Type': 'application/json' },
    });
    const error = await fromUpstreamResponse(response);
    expect(error.code).toBe('network_received_error');
  });
});
