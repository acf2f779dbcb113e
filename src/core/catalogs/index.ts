/**
 * `express-enhanced-errors/catalogs`: the spec's other code lists (REST API v1
 * and v2, Vimond), the French messages of the Pass codes, and the generic
 * codes this library adds. Importing this subpath builds its registries; the
 * root entry builds only passRegistry.
 */
import { createRegistry } from '../registry/registry';
import { genericErrorCodes, PASS_HELP_URL, passFallbacks, serviceUnavailableAddition, tooManyRequestsAddition } from './additions';
import { passRestV1Codes } from './pass-rest-v1';
import { passRestV2Codes } from './pass-rest-v2';
import { vimondCodes, vimondStatusCodes } from './vimond';

/**
 * The REST API v2 list of the newer specification page, plus this library's
 * not_found, too_many_requests, service_unavailable, client_error and server_error.
 * Every listed code's helpUrl is the specification page (PASS_HELP_URL), and so is that of the canonical
 * table's too_many_requests and service_unavailable; the library's own codes have none.
 */
export const passRestV2Registry = createRegistry(
  { ...passRestV2Codes, too_many_requests: tooManyRequestsAddition, service_unavailable: serviceUnavailableAddition, ...genericErrorCodes },
  {
    name: 'passRestV2Registry',
    fallbacks: passFallbacks,
    helpUrl: PASS_HELP_URL,
    statusCodes: { 429: 'too_many_requests', 500: 'internal_server_error', 503: 'service_unavailable' },
  },
);

/**
 * The (legacy) REST API v1 list, plus this library's not_found,
 * too_many_requests, service_unavailable, client_error and server_error. Several codes allow more
 * than one status; internal_error defaults to 500. Every listed code's
 * helpUrl is the specification page (PASS_HELP_URL), and so is that of the canonical table's
 * too_many_requests and service_unavailable; the library's own codes have none.
 */
export const passRestV1Registry = createRegistry(
  { ...passRestV1Codes, too_many_requests: tooManyRequestsAddition, service_unavailable: serviceUnavailableAddition, ...genericErrorCodes },
  {
    name: 'passRestV1Registry',
    fallbacks: passFallbacks,
    helpUrl: PASS_HELP_URL,
    statusCodes: { 429: 'too_many_requests', 500: 'internal_error', 503: 'service_unavailable' },
  },
);

/**
 * Vimond's error codes (63 rows), keyed `<title>_<code>`, plus this library's
 * client_error and server_error, which the Vimond format sends as Vimond's
 * UNKNOWN (0). Answer them with vimondFormatter.
 */
export const vimondRegistry = createRegistry(
  { ...vimondCodes, client_error: genericErrorCodes.client_error, server_error: genericErrorCodes.server_error },
  { name: 'vimondRegistry', fallbacks: passFallbacks, statusCodes: vimondStatusCodes },
);

export { genericFallbacks, PASS_HELP_URL } from './additions';
export { ADOBE_REQUEST_ID_HEADER } from './adobe-pass';
export { passCodes } from './pass';
export { passMessagesFr } from './pass.fr';
export { passRestV1Codes, passRestV2Codes };
export {
  vimondCatalog,
  vimondCodes,
  vimondDefinitions,
  vimondStatusCodes,
  type VimondCatalog,
  type VimondCodeDefinition,
  type VimondDefinitions,
} from './vimond';
