import type { ErrorMiddleware } from '../adapters/http';
import { errorMiddlewareFor } from '../adapters/express/handler';
import { createErrorPipeline, type EnhancedErrorHandlerOptions } from '../adapters/express/pipeline';
import { createItemResponder, type ItemOptions, type ReadItems, type SendItems } from './send-items';

export interface EnhancedErrorHandlerWithItemsOptions extends EnhancedErrorHandlerOptions, ItemOptions {}

export interface EnhancedErrorHandlerWithItems {
  /** The error-handling middleware, mounted last. */
  handler: ErrorMiddleware;
  /** The request's list of items, or the top-level error for a list that is missing or too long. */
  readItems: ReadItems;
  /** Answers `200 OK` with items, failed ones carrying item-level errors. */
  sendItems: SendItems;
}

/**
 * The error handler plus the item helpers of partial-success responses, from
 * one options object: item-level errors are normalized, redacted, given a
 * helpUrl and a trace, and negotiated exactly like the handler's. Every
 * option is checked now.
 *
 * @example
 * const { handler, readItems, sendItems } = enhancedErrorHandlerWithItems({ maxItems: 50 });
 * app.post('/decisions', (req, res) => {
 *   const items = readItems(req.body?.resources, 'resources');
 *   sendItems(req, res, { collection: 'decisions', items: items.map(decide) });
 * });
 * app.use(handler);
 */
export function enhancedErrorHandlerWithItems(options: EnhancedErrorHandlerWithItemsOptions = {}): EnhancedErrorHandlerWithItems {
  const pipeline = createErrorPipeline(options);
  return { handler: errorMiddlewareFor(pipeline), ...createItemResponder(pipeline, options) };
}
