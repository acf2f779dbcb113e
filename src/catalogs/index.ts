/**
 * `express-enhanced-errors/catalogs`: the spec's other code lists (REST API v1
 * and v2, Vimond) and the French messages of the Pass codes. Importing this
 * subpath builds its registries; the root entry builds only passRegistry.
 */
import { createRegistry } from '../registry/registry';
import { passRestV1Codes } from './pass-rest-v1';
import { passRestV2Codes } from './pass-rest-v2';
import { vimondCodes } from './vimond';

/** The REST API v2 list of the newer specification page. */
export const passRestV2Registry = createRegistry(passRestV2Codes, { name: 'passRestV2Registry' });

/** The (legacy) REST API v1 list; several codes allow more than one status. */
export const passRestV1Registry = createRegistry(passRestV1Codes, { name: 'passRestV1Registry' });

/** Vimond's error codes (63 rows), keyed `<title>_<code>`; answer them with vimondFormatter. */
export const vimondRegistry = createRegistry(vimondCodes, { name: 'vimondRegistry' });

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
