/**
 * `express-enhanced-errors/fetch`: the same error answers for Fetch API
 * runtimes (Hono, Bun, Deno, Cloudflare Workers, Next.js route handlers),
 * each a standard `Response` built by the core the Express handler uses.
 * Nothing here imports a `node:` module, so that it bundles for the edge.
 */
export {
  fetchErrorHandler,
  toResponse,
  type FetchErrorContext,
  type FetchErrorHandler,
  type FetchErrorOptions,
  type FetchOnError,
} from './handler';
export { requestIdsOf } from './request-view';
export type { ItemOptions, ItemsResponse, ReadItems } from '../../core/items/answer-items';
export type { RequestIds } from '../../core/answer/request-view';
