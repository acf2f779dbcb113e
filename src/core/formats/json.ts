import type { Envelope } from '../envelope/envelope';
import type { Formatter } from './formatter';
import { withWireShape } from './wire-shape';

export interface PassFormatOptions {
  /**
   * Adds the envelope's field errors after the spec's fields, as `fields`
   * (and `omittedFields`, the count left out). Off by default: the spec's
   * error object has fixed fields, so a client must expect the extra member.
   */
  fieldErrors?: boolean;
}

/** The envelope without the field errors, for responses that did not opt in. */
function specFieldsOnly(envelope: Envelope): Envelope {
  // Stryker disable next-line all: a shortcut that saves a copy; the copy would write the same JSON.
  if (envelope.fields === undefined && envelope.omittedFields === undefined) return envelope;
  const { fields: _fields, omittedFields: _omitted, ...spec } = envelope;
  return spec;
}

/**
 * The spec's flat JSON object. The envelope already holds its fields in the
 * spec's order, and JSON.stringify leaves out the undefined optional ones and
 * escapes lone surrogates, so the body always parses back to the same strings.
 * Item responses are `{"<collection>": [item, …]}`, a failed item's `error`
 * being that same object.
 *
 * @example
 * enhancedErrorHandler({ formatters: [createJsonFormatter({ fieldErrors: true }), xmlFormatter] });
 */
export function createJsonFormatter(options: PassFormatOptions = {}): Formatter {
  if (typeof options !== 'object' || options === null) throw new TypeError('createJsonFormatter: options must be an object');
  if (options.fieldErrors !== undefined && typeof options.fieldErrors !== 'boolean') {
    throw new TypeError('createJsonFormatter: fieldErrors must be a boolean');
  }
  const fieldErrors = options.fieldErrors === true;
  const written = fieldErrors ? (envelope: Envelope) => envelope : specFieldsOnly;
  return withWireShape(
    {
      mediaTypes: ['application/json'],
      contentType: 'application/json; charset=utf-8',
      formatError: (envelope) => JSON.stringify(written(envelope)),
      formatItems: (collection, items) =>
        JSON.stringify({
          [collection]: items.map(({ fields, error }) => (error === undefined ? fields : { ...fields, error: written(error) })),
        }),
    },
    { kind: 'pass', fieldErrors },
  );
}

/** The spec's JSON, without field errors. */
export const jsonFormatter: Formatter = createJsonFormatter();
