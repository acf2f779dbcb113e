import type { Envelope } from '../../core/envelope/envelope';
import type { EnhancedError } from '../../core/error/enhanced-error';
import type { HttpRequest, HttpResponse } from '../http';

export interface ErrorContext {
  req: HttpRequest;
  res: HttpResponse;
  /** The fields sent to the client. */
  envelope: Envelope;
  requestId: string;
  trace: string;
}

/**
 * Called once per handled error (once per error of an AggregateError) with the
 * normalized error; for a redacted 5xx, `error.cause` is what was thrown.
 */
export type OnError = (error: EnhancedError, context: ErrorContext) => void;
