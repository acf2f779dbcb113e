import type { HelpUrlOption as HelpUrlOptionOf } from '../core/envelope/envelope';

/**
 * The request as the handler reads it: its method, URL and headers. A
 * structural type, so that the public types need neither Node's nor
 * Express's type definitions, and that node:http, Express 4 and Express 5
 * requests all fit.
 */
export interface HttpRequest {
  readonly method?: string;
  readonly url?: string;
  /** Express's URL before routers cut their mount path off. */
  readonly originalUrl?: string;
  readonly headers: { readonly [name: string]: string | string[] | undefined };
}

/** A header value as Node's response holds it. */
export type HttpHeaderValue = number | string | string[];

/**
 * The response as the handler writes it: the members of Node's
 * `ServerResponse` it uses, and Express's `res.locals`. node:http, Express 4
 * and Express 5 responses all fit.
 */
export interface HttpResponse {
  statusCode: number;
  statusMessage?: string;
  readonly headersSent: boolean;
  locals?: Record<string, unknown>;
  setHeader(name: string, value: HttpHeaderValue): unknown;
  getHeader(name: string): HttpHeaderValue | undefined;
  getHeaderNames(): string[];
  removeHeader(name: string): void;
  writeHead(statusCode: number, statusMessage: string, headers: (string | number)[]): unknown;
  end(chunk?: string | Uint8Array): unknown;
  /** For load shedding and rate limits: the response is done. */
  once(event: 'close' | 'finish', listener: () => void): unknown;
  /** For load shedding: a response whose head is already sent cannot be answered, only cut. */
  destroy(): unknown;
}

export type NextFunction = (err?: unknown) => void;

export type ErrorMiddleware = (err: unknown, req: HttpRequest, res: HttpResponse, next: NextFunction) => void;

/** The handler's helpUrl option: a fixed URL, or a function of the error, the request and the message's locale. */
export type HelpUrlOption = HelpUrlOptionOf<HttpRequest>;
