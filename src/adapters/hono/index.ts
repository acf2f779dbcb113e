/**
 * `express-enhanced-errors/hono`: Hono's `onError` and `notFound` handlers,
 * answering through the Fetch adapter. `hono` is an optional peer
 * dependency: only its types are used.
 */
export { enhancedErrorHandler, notFoundHandler, throwValidationError, type HonoErrorOptions, type ValidationResult } from './handler';
