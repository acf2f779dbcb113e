/**
 * Codes this library adds to the published catalogs, so that every status a
 * service may throw has a code the registry defines: the spec's tables have
 * no code for most statuses (a 502, a 418), and the REST lists have no 429.
 * Each is marked `origin: 'library'`, and catalog pages show it as such.
 */
import { type CodeDefinition, statusRange } from '../registry/registry';

/** Every 4xx the catalog gives no code of its own. */
export const clientErrorAddition = {
  status: statusRange(400, 499),
  action: 'none',
  message: 'The request could not be processed.',
  origin: 'library',
} as const satisfies CodeDefinition;

/** Every 5xx the catalog gives no code of its own; like every 5xx, it tells nothing of the cause. */
export const serverErrorAddition = {
  status: statusRange(500, 599),
  action: 'none',
  message: 'The request failed due to a server error.',
  origin: 'library',
} as const satisfies CodeDefinition;

export const notFoundAddition = {
  status: 404,
  action: 'none',
  message: 'The requested resource was not found.',
  origin: 'library',
} as const satisfies CodeDefinition;

/** The canonical table's own too_many_requests, for the REST lists that lack a 429. */
export const tooManyRequestsAddition = {
  status: 429,
  action: 'retry-after',
  message:
    'Too many requests have been sent within a given interval. The application can retry the request after the suggested period of time.',
  origin: 'library',
} as const satisfies CodeDefinition;

/** The canonical table's own service_unavailable, for the REST lists that lack a 503 (load shedding, a failed rate-limit store). */
export const serviceUnavailableAddition = {
  status: 503,
  action: 'none',
  message: 'The request failed due to the fact that authentication or authorization service is not available.',
  origin: 'library',
} as const satisfies CodeDefinition;

/** The Pass specification page: the helpUrl of every Pass code (the spec shows it in every error object). */
export const PASS_HELP_URL =
  'https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html';

export const passFallbacks = { clientError: 'client_error', serverError: 'server_error' } as const;

/**
 * The generic codes to add to a service's own registry, with `genericFallbacks`,
 * so that every status a route may throw has a code.
 *
 * @example
 * const registry = createRegistry({ ...myCodes, ...genericErrorCodes }, { fallbacks: genericFallbacks });
 */
export const genericErrorCodes = {
  not_found: notFoundAddition,
  client_error: clientErrorAddition,
  server_error: serverErrorAddition,
} as const;

export const genericFallbacks = passFallbacks;
