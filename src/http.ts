import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HelpUrlOption as HelpUrlOptionOf } from './envelope/envelope';

/**
 * The handler needs only Node's request and response plus Express's
 * `res.locals`, so its public types do not tie users to one version of
 * Express's type definitions: Express 4 and 5 requests and responses fit.
 */
export type HttpRequest = IncomingMessage;

export type HttpResponse = ServerResponse & { locals?: Record<string, unknown> };

export type NextFunction = (err?: unknown) => void;

export type ErrorMiddleware = (err: unknown, req: HttpRequest, res: HttpResponse, next: NextFunction) => void;

/** The handler's helpUrl option: a fixed URL, or a function of the error, the request and the message's locale. */
export type HelpUrlOption = HelpUrlOptionOf<HttpRequest>;
