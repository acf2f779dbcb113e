/**
 * The client side of Enhanced Error Codes: read the errors a service sends
 * (top-level or item-level; JSON, XML, RFC 9457 problem details, Vimond),
 * classify them by action, and retry what the spec says may be retried.
 * Needs only `fetch`-style responses: no Express, no Node-only API.
 */
export { DEFAULT_REQUEST_ID_HEADERS, parseEnhancedError, parseEnhancedErrorSync, type ParseOptions } from './parse';
export { classifyAction, isRetryableAction, type ActionCategory } from './classify';
export { parseRetryAfter, retryAfterDelay } from './retry-after';
export { RETRY_DEFAULTS, type RetryAttempt, type RetryEvent, type RetryOptions } from './backoff';
export { withRetry, type RetryResult } from './retry';
export { withItemRetry, type ItemOutcome, type ItemRetryResult } from './item-retry';
export type {
  HeadersLike,
  ItemError,
  ItemFields,
  ItemLevelResult,
  NotEnhancedReason,
  NotEnhancedResult,
  ParsedResponse,
  ReadResponse,
  ReceivedAction,
  ReceivedError,
  ReceivedItem,
  ResponseLike,
  TopLevelResult,
  VimondError,
  VimondResult,
} from './types';
