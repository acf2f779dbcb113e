import { Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders, request, type RequestListener } from 'node:http';
import { serveOnLoopback } from './loopback';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Names and values as they came over the wire, before Node joined duplicates. */
  rawHeaders: string[];
  body: Buffer;
}

export interface SendOptions {
  method?: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
}

export interface TestServer {
  send(options: SendOptions): Promise<RawResponse>;
  close(): Promise<void>;
}

/** A response that has not ended by then counts as a hung socket. */
const RESPONSE_TIMEOUT_MS = 5000;

/**
 * Starts the app once on a loopback port and talks to it over a keep-alive
 * agent: thousands of generated cases then cost one connection, not one
 * server and one handshake each.
 */
export async function startServer(app: RequestListener): Promise<TestServer> {
  const loopback = await serveOnLoopback(app);
  const client = keepAliveClient(loopback.url);

  async function close(): Promise<void> {
    client.close();
    await loopback.close();
  }

  return { send: client.send, close };
}

export interface KeepAliveClient {
  send(options: SendOptions): Promise<RawResponse>;
  /** Closes the client's connections. */
  close(): void;
}

/**
 * Requests to a server already listening (e.g. http://127.0.0.1:41234) over
 * keep-alive connections, at most `maxSockets` at once. Only Host and
 * Connection are added to the headers given: unlike fetch, no default Accept,
 * Accept-Language or Accept-Encoding.
 */
export function keepAliveClient(origin: string, maxSockets = 1): KeepAliveClient {
  const { hostname: host, port } = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets });

  function send({ method = 'GET', path, headers = {}, body }: SendOptions): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = request({ host, port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
        );
      });
      req.setTimeout(RESPONSE_TIMEOUT_MS, () =>
        req.destroy(new Error(`no complete response within ${RESPONSE_TIMEOUT_MS} ms (hung socket)`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  return { send, close: () => agent.destroy() };
}
