import type { ErrorMiddleware } from '../http';
import { createItemResponder, type ItemOptions, type ReadItems, type SendItems } from '../items/send-items';
import { createErrorPipeline, type EnhancedErrorHandlerOptions, errorMiddlewareFor } from './handler';

export interface EnhancedErrorsOptions extends EnhancedErrorHandlerOptions, ItemOptions {}

export interface EnhancedErrors {
  /** The error-handling middleware, mounted last. */
  handler: ErrorMiddleware;
  /** The request's list of items, or the top-level error for a list that is missing or too long. */
  readItems: ReadItems;
  /** Answers `200 OK` with items, failed ones carrying item-level errors. */
  sendItems: SendItems;
}

/**
 * One options object for every way of answering with errors: item-level
 * errors are normalized, redacted, given a helpUrl and a trace, and
 * negotiated exactly like the handler's. Every option is checked now.
 */
export function enhancedErrors(options: EnhancedErrorsOptions = {}): EnhancedErrors {
  const pipeline = createErrorPipeline(options);
  return { handler: errorMiddlewareFor(pipeline), ...createItemResponder(pipeline, options) };
}
