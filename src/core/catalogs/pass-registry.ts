import { createRegistry } from '../registry/registry';
import { genericErrorCodes, PASS_HELP_URL, passFallbacks } from './additions';
import { passCodes } from './pass';

/**
 * The 47 codes of the canonical specification's "Error Codes" table, plus
 * this library's not_found, client_error and server_error. The handler's
 * default registry; in a module of its own so that loading the handler
 * builds no other catalog. Every spec code's helpUrl is the specification
 * page (PASS_HELP_URL), as in the spec's examples; the additions have none.
 *
 * @example
 * throw passRegistry.create('too_many_requests', { retryAfter: 30 });
 */
export const passRegistry = createRegistry(
  { ...passCodes, ...genericErrorCodes },
  {
    name: 'passRegistry',
    fallbacks: passFallbacks,
    helpUrl: PASS_HELP_URL,
  },
);
