import type { Context, Env, ErrorHandler, NotFoundHandler } from 'hono';
import { BUILT_IN_MAPPERS } from '../../core/normalize/mappers';
import { builtOncePerOptions, fetchErrorHandler, type FetchErrorOptions } from '../fetch/handler';
import { httpExceptionMapper } from './http-exception';

/** The Fetch adapter's options; Hono's HTTPException is always mapped, before the built-in mappers. */
export type HonoErrorOptions = FetchErrorOptions;

/** One FetchErrorHandler per options object, so that `onError` and `notFound` given the same object share it. */
const handlerFor = builtOncePerOptions((options) => {
  const builtIn = options.builtInMappers === false ? [] : (options.builtInMappers ?? BUILT_IN_MAPPERS);
  return fetchErrorHandler({ ...options, builtInMappers: [httpExceptionMapper, ...builtIn] });
});

/**
 * Hono's error handler: every error a route or middleware throws, answered
 * like the Express handler answers it. Options are checked now.
 *
 * @example
 * app.onError(enhancedErrorHandler({ registry }));
 */
export function enhancedErrorHandler<E extends Env = Env>(options: HonoErrorOptions = {}): ErrorHandler<E> {
  const handler = handlerFor(options);
  return (error: unknown, c: Context<E>) => handler.toResponse(error, c.req.raw);
}

/**
 * Hono's not-found handler: a 404 negotiated like any error.
 *
 * @example
 * app.notFound(notFoundHandler({ registry }));
 */
export function notFoundHandler<E extends Env = Env>(options: HonoErrorOptions = {}): NotFoundHandler<E> {
  const handler = handlerFor(options);
  return (c: Context<E>) => handler.notFound(c.req.raw);
}

/** What a validator hands its hook: `@hono/zod-validator`'s and `@hono/standard-validator`'s results both fit. */
export type ValidationResult = { success: true } | { success: false; error: unknown; target?: string };

/**
 * The hook for `zValidator` and `sValidator` that throws a failed
 * validation, so that the error handler answers it with field errors
 * instead of the validator's own 400 body: a ZodError as it is, and
 * Standard Schema issues as a ValidationFailedError, whose `target` tells
 * where the fields are (`query.limit`, `headers.x-id`, a body pointer).
 *
 * @example
 * app.post('/orders', zValidator('json', orderSchema, throwValidationError), (c) => c.json(c.req.valid('json')));
 */
export function throwValidationError(result: ValidationResult): void {
  if (result.success) return;
  throw Array.isArray(result.error) ? new ValidationFailedError(result.error, result.target) : result.error;
}

/**
 * Standard Schema issues a validator reported, as an Error: Hono hands only
 * Errors to `onError`. Shaped like the validator's hook result (`success`,
 * `error`, `target`), which the Standard Schema mapper reads.
 */
export class ValidationFailedError extends Error {
  readonly success = false;
  constructor(
    readonly error: readonly unknown[],
    readonly target?: string,
  ) {
    super('The request failed validation.');
    this.name = 'ValidationFailedError';
  }
}
