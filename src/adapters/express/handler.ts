import { answerError, fallbackAnswer } from '../../core/answer/answer';
import { keepRequestIds, requestViewOf } from './request-context';
import type { ErrorMiddleware } from '../http';
import { createErrorPipeline, describeSafely, type EnhancedErrorHandlerOptions, type ErrorPipeline } from './pipeline';
import { recordAndReport } from './respond';
import { writeAnswer } from '../node/write-answer';

export type { ErrorContext, OnError } from './error-context';
export type { EnhancedErrorHandlerOptions } from './pipeline';

export { DEFAULT_RETRY_AFTER } from '../../core/envelope/envelope';

/**
 * The Express error-handling middleware. The returned middleware never throws.
 *
 * @example
 * app.use(enhancedErrorHandler({ registry, helpUrl: 'https://docs.example.com/errors' })); // mounted last
 */
export function enhancedErrorHandler(options: EnhancedErrorHandlerOptions = {}): ErrorMiddleware {
  return errorMiddlewareFor(createErrorPipeline(options));
}

/** The middleware on a pipeline already built, e.g. one shared with the item helpers. */
export function errorMiddlewareFor(pipeline: ErrorPipeline): ErrorMiddleware {
  return function enhancedErrorHandler(err, req, res, next) {
    if (res.headersSent) {
      // Too late for an envelope: Express's own handler closes the connection.
      next(err);
      return;
    }
    const request = requestViewOf(req, res);
    const answer = answerError(pipeline, err, request, res.statusCode);
    keepRequestIds(res, answer);
    if (answer.failure !== undefined) reportFailure(pipeline, answer.failure);
    try {
      writeAnswer(res, answer);
    } catch (failure) {
      // A broken response object. Express's own handler would answer with an
      // HTML page that may show the stack, so the prebuilt 500 goes out
      // instead while that is still possible.
      reportFailure(pipeline, failure);
      if (res.headersSent || !writeFallback(pipeline, request, res, answer)) next(failure);
      return;
    }
    if (answer.failure === undefined) recordAndReport(pipeline, answer, req, res);
  };
}

function reportFailure(pipeline: ErrorPipeline, failure: unknown): void {
  pipeline.tell(`the error handler failed: ${describeSafely(failure)}`);
}

function writeFallback(
  pipeline: ErrorPipeline,
  request: Parameters<typeof fallbackAnswer>[1],
  res: Parameters<typeof writeAnswer>[0],
  ids: { requestId: string; trace: string },
): boolean {
  try {
    writeAnswer(res, fallbackAnswer(pipeline, request, ids));
    return true;
  } catch {
    return false;
  }
}
