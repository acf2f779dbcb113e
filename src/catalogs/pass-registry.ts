import { createRegistry } from '../registry/registry';
import { passCodes } from './pass';

/**
 * The 47 codes of the canonical specification's "Error Codes" table. The
 * handler's default registry; in a module of its own so that loading the
 * handler builds no other catalog.
 *
 * @example
 * throw passRegistry.create('too_many_requests', { retryAfter: 30 });
 */
export const passRegistry = createRegistry(passCodes, { name: 'passRegistry' });
