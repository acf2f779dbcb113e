/**
 * `express-enhanced-errors/items`: partial-success (200) responses whose
 * failed items carry item-level errors, answered through the same pipeline
 * as the error handler.
 */
export { enhancedErrorHandlerWithItems, type EnhancedErrorHandlerWithItems, type EnhancedErrorHandlerWithItemsOptions } from './with-items';
export type { ItemOptions, ItemsResponse, ReadItems, SendItems } from './send-items';
export { planRetry, type RetryPlan, type RetryPlanOptions } from '../core/items/retry';
