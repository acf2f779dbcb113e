import { vimondCatalog } from '../catalogs/vimond';
import type { Envelope } from '../envelope/envelope';
import { describe } from '../shared/describe';
import type { VimondError } from '../shared/types';
import { fieldLabel } from '../error/field-errors';
import type { Formatter } from './formatter';
import { type VimondIdentity, withWireShape } from './wire-shape';

export type { VimondIdentity } from './wire-shape';

export type { VimondError } from '../shared/types';

/** Vimond's code and title for an error outside its list (its row 0). */
const UNKNOWN_VIMOND: VimondIdentity = Object.freeze({ vimondCode: '0', title: 'UNKNOWN' });

/**
 * Vimond's `{"errors":[{"title","detail","code"}]}`, as `application/json`:
 * configure it in place of `jsonFormatter`. `detail` is the error's message
 * (for a catalog code, Vimond's description); the envelope's `details`,
 * `action`, `helpUrl` and `trace` have no place in this shape. A code the
 * catalog lacks is sent as Vimond's UNKNOWN, code "0": a Vimond client only
 * knows the (code, title) pairs of Vimond's table.
 *
 * @example
 * const catalog = { ...vimondCatalog, playback_paused_9001: { vimondCode: '9001', title: 'PLAYBACK_PAUSED', status: 409, action: 'none', message: 'Playback is paused' } } as const;
 * app.use(enhancedErrorHandler({ registry: createRegistry(vimondDefinitions(catalog)), formatters: [createVimondFormatter(catalog)] }));
 */
export function createVimondFormatter(catalog: { readonly [key: string]: VimondIdentity } = vimondCatalog): Formatter {
  if (typeof catalog !== 'object' || catalog === null)
    throw new TypeError('createVimondFormatter: catalog must be an object keyed by code');
  const identities = new Map<string, VimondIdentity>();
  for (const [key, row] of Object.entries(catalog)) {
    const { vimondCode, title }: Partial<VimondIdentity> = row ?? {};
    if (typeof vimondCode !== 'string' || !/^\d+$/.test(vimondCode)) {
      throw new TypeError(`createVimondFormatter: ${describe(key)}: vimondCode must be a string of digits, got ${describe(vimondCode)}`);
    }
    if (typeof title !== 'string' || !/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(title)) {
      throw new TypeError(`createVimondFormatter: ${describe(key)}: title must be UPPER_SNAKE_CASE, got ${describe(title)}`);
    }
    identities.set(key, { vimondCode, title });
  }

  function toVimondError(envelope: Envelope): VimondError {
    const identity = identities.get(envelope.code);
    return {
      // Only pairs from Vimond's table are sent: a code without a row is Vimond's own UNKNOWN (0).
      title: (identity ?? UNKNOWN_VIMOND).title,
      detail: envelope.message,
      code: (identity ?? UNKNOWN_VIMOND).vimondCode,
    };
  }

  /** A validation failure is one entry per field, its detail naming the field; any other error is one entry. */
  function toVimondErrors(envelope: Envelope): VimondError[] {
    const error = toVimondError(envelope);
    if (envelope.fields === undefined || envelope.fields.length === 0) return [error];
    return envelope.fields.map((field) => ({ ...error, detail: `${fieldLabel(field)}: ${field.message}` }));
  }

  return withWireShape(
    {
      mediaTypes: ['application/json'],
      contentType: 'application/json; charset=utf-8',
      formatError: (envelope) => JSON.stringify({ errors: toVimondErrors(envelope) }),
      formatErrors: (envelopes) => JSON.stringify({ errors: envelopes.flatMap(toVimondErrors) }),
    },
    { kind: 'vimond', identities, unknown: UNKNOWN_VIMOND },
  );
}

/** The Vimond format over the built-in Vimond catalog. */
export const vimondFormatter = createVimondFormatter();
