/**
 * The Express adapter: the error handler and the middleware around it. It
 * builds each answer with the core (src/core) and writes it with the Node
 * adapter; the root entry re-exports it. The items helpers' Express side is
 * the `/items` subpath (src/items), kept apart so that the root entry does
 * not load it.
 */
export { enhancedErrorHandler, type EnhancedErrorHandlerOptions, type ErrorContext, type OnError } from './handler';
export { notFoundHandler, type NotFoundOptions, type RequestMiddleware } from './not-found';
export { requestContext, type RequestContextOptions } from './request-context-middleware';
export { requestContextOf, type RequestIds } from './request-context';
