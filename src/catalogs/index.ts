import { createRegistry } from '../registry/registry';
import { passCodes } from './pass';
import { passMessagesFr } from './pass.fr';
import { passRestV1Codes } from './pass-rest-v1';
import { passRestV2Codes } from './pass-rest-v2';
import { vimondCodes } from './vimond';

/** The 47 codes of the canonical specification's "Error Codes" table. The handler's default registry. */
export const passRegistry = createRegistry(passCodes, { name: 'passRegistry' });

/** The REST API v2 list of the newer specification page. */
export const passRestV2Registry = createRegistry(passRestV2Codes, { name: 'passRestV2Registry' });

/** The (legacy) REST API v1 list; several codes allow more than one status. */
export const passRestV1Registry = createRegistry(passRestV1Codes, { name: 'passRestV1Registry' });

/** Vimond's error codes (63 rows), keyed `<title>_<code>`; answer them with vimondFormatter. */
export const vimondRegistry = createRegistry(vimondCodes, { name: 'vimondRegistry' });

export { passCodes, passMessagesFr, passRestV1Codes, passRestV2Codes };
