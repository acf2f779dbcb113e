import { retryAfterSeconds } from '../envelope/retry-after';
import type { ErrorMiddleware, HttpRequest, HttpResponse } from '../http';
import { normalizeResponseErrors } from '../normalize/aggregate';
import { createErrorPipeline, describeSafely, type EnhancedErrorHandlerOptions, type ErrorPipeline } from '../pipeline/pipeline';
import { bodyWithTrace } from '../pipeline/prebuilt';
import { localizedAnswer, recordAndReport, writeErrorResponse } from '../pipeline/respond';
import { requestIds } from './request-context';

export type { ErrorContext, OnError } from './error-context';
export type { EnhancedErrorHandlerOptions } from '../pipeline/pipeline';

export { DEFAULT_RETRY_AFTER } from '../envelope/envelope';

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
    try {
      // Usually one error; an AggregateError of EnhancedErrors is several, and its primary one sets the status and headers.
      const { errors, primary: error } = normalizeResponseErrors(pipeline.normalize, err, res.statusCode);
      const { requestId, trace } = requestIds(req, res, pipeline.ids);
      const primary = localizedAnswer(pipeline, error, req, trace);
      // Stryker disable next-line ConditionalExpression: the primary's answer is reused, not built twice; building it again gives the same answer.
      const answers = errors.map((each) => (each === error ? primary : localizedAnswer(pipeline, each, req, trace)));
      const formatter = pipeline.negotiate(req);
      writeErrorResponse(req, res, {
        status: primary.envelope.status,
        contentType: formatter.contentType,
        errorHeaders: { headers: error.headers, requestIdHeader: pipeline.ids.headerKey },
        retryAfter: retryAfterSeconds(error, pipeline.defaultRetryAfter)?.toString(),
        variesByLanguage: answers.some((answer) => answer.varies),
        language: primary.locale,
        body: () =>
          answers.length > 1 && formatter.formatErrors !== undefined
            ? formatter.formatErrors(answers.map((answer) => answer.envelope))
            : formatter.formatError(primary.envelope),
      });
      recordAndReport(pipeline, answers, 'top-level', { req, res, requestId, trace });
    } catch (failure) {
      // Only a broken formatter or response object gets here. Express's own
      // handler would answer with an HTML page that may show the stack, so a
      // fixed body goes out instead while that is still possible.
      if (pipeline.report !== undefined)
        process.stderr.write(`express-enhanced-errors: the error handler failed: ${describeSafely(failure)}\n`);
      if (res.headersSent || !sendFallback(req, res, pipeline)) next(failure);
    }
  };
}

/**
 * The registry's 500, prebuilt in the format the request accepts, with the
 * response's request id and trace: nothing configurable runs, so that it can
 * be sent when everything else failed.
 */
function sendFallback(req: HttpRequest, res: HttpResponse, pipeline: ErrorPipeline): boolean {
  try {
    const { trace } = requestIds(req, res, pipeline.ids);
    const body = pipeline.fallbackBody(req);
    writeErrorResponse(req, res, {
      status: 500,
      contentType: body.contentType,
      variesByLanguage: false,
      body: () => bodyWithTrace(body, trace),
    });
    return true;
  } catch {
    return false;
  }
}
