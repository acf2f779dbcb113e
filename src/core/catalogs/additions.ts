/**
 * Codes this library adds to the published catalogs, so that every status a
 * service may throw has a code the registry defines: the spec's tables have
 * no code for most statuses (a 502, a 418), and the REST lists have no 429.
 * Each is marked `origin: 'library'`, and catalog pages show it as such.
 */
import { type CodeDefinition, statusRange } from '../registry/registry';
import { passCodes } from './pass';

/** The Pass specification page: the helpUrl of every Pass code (the spec shows it in every error object). */
export const PASS_HELP_URL =
  'https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html';

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

/**
 * A code of the canonical table added to a REST list that lacks it: this
 * library's addition to that list, yet a spec code, so it keeps the canonical
 * table's helpUrl, as passRegistry gives it.
 */
function canonicalCopy<const D extends CodeDefinition>(definition: D) {
  return { ...definition, origin: 'library', helpUrl: PASS_HELP_URL } as const satisfies CodeDefinition;
}

/** The canonical table's own too_many_requests, for the REST lists that lack a 429. */
export const tooManyRequestsAddition = canonicalCopy(passCodes.too_many_requests);

/** The canonical table's own service_unavailable, for the REST lists that lack a 503 (load shedding, a failed rate-limit store). */
export const serviceUnavailableAddition = canonicalCopy(passCodes.service_unavailable);

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
