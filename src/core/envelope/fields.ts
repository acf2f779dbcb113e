import type { Action } from '../shared/types';

/**
 * The spec's fields of an error object, declared once, in the spec's order
 * (the order is part of the XML format). The `Envelope` type, the
 * `ENVELOPE_FIELDS` list, the OpenAPI schema, the client's reader and the
 * copy of a thrown error's fields are all derived from this table; see
 * CONTRIBUTING.md, "Adding an envelope field".
 */
export const ENVELOPE_FIELD_TABLE = [
  { name: 'action', type: 'string', required: true, fromError: true, clientRequires: true, component: 'action' },
  {
    name: 'status',
    type: 'integer',
    required: true,
    fromError: true,
    clientRequires: true,
    keywords: { minimum: 400, maximum: 599 },
    description: 'The HTTP status of the error.',
  },
  { name: 'code', type: 'string', required: true, fromError: true, clientRequires: true, component: 'code' },
  {
    name: 'message',
    type: 'string',
    required: true,
    fromError: true,
    clientRequires: true,
    description: 'Human-readable; may be shown to end users.',
  },
  { name: 'details', type: 'string', required: false, fromError: true, clientRequires: false, description: 'More about this occurrence.' },
  {
    name: 'helpUrl',
    type: 'string',
    required: false,
    fromError: true,
    clientRequires: false,
    keywords: { format: 'uri' },
    description: 'Where to read about the code.',
  },
  {
    name: 'trace',
    type: 'string',
    required: true,
    fromError: false,
    // Other servers may leave it out.
    clientRequires: false,
    description: 'Unique per response; quote it when reporting a problem.',
  },
] as const satisfies readonly EnvelopeFieldSpec[];

/** One row of ENVELOPE_FIELD_TABLE. */
export type EnvelopeFieldSpec = {
  readonly name: string;
  readonly type: 'string' | 'integer';
  /** Present in every error object the handler sends. */
  readonly required: boolean;
  /** Carried by the thrown error (an EnhancedError option), rather than made per response like `trace`. */
  readonly fromError: boolean;
  /**
   * A client refuses an error object without a valid one (each such field has
   * its own check in src/client/error-object.ts); it reads any other field
   * when present and of the field's type.
   */
  readonly clientRequires: boolean;
} & (
  | {
      /** JSON Schema keywords the OpenAPI schema adds to the type, in this order. */
      readonly keywords?: { readonly format?: 'uri'; readonly minimum?: number; readonly maximum?: number };
      /** The OpenAPI description. */
      readonly description: string;
    }
  | {
      /** The OpenAPI schema is the registry's own list of actions or codes. */
      readonly component: 'action' | 'code';
    }
);

type Table = typeof ENVELOPE_FIELD_TABLE;
/** One row of the table, with its literal types. */
export type EnvelopeFieldRow = Table[number];
type Row = EnvelopeFieldRow;

/** The name of one of the spec's fields. */
export type EnvelopeField = Row['name'];

/** The names of the table's rows, as a tuple in the table's order. */
type NamesOf<T extends readonly { readonly name: string }[]> = { readonly [I in keyof T]: T[I]['name'] };

/** The spec's fields, in its order; `fields` and `omittedFields` are not among them. */
export const ENVELOPE_FIELDS = ENVELOPE_FIELD_TABLE.map((row) => row.name) as unknown as NamesOf<Table>;

/** The TypeScript type of a field's value. */
export type EnvelopeFieldValue<R extends Row> = R extends { readonly component: 'action' }
  ? Action
  : R extends { readonly type: 'integer' }
    ? number
    : string;

/** The spec's fields as an object type: required ones required, the others optional. */
export type EnvelopeFields = { readonly [R in Extract<Row, { readonly required: true }> as R['name']]: EnvelopeFieldValue<R> } & {
  readonly [R in Extract<Row, { readonly required: false }> as R['name']]?: EnvelopeFieldValue<R>;
};

/** The fields a thrown error carries, in the spec's order. */
export const FIELDS_FROM_ERROR = ENVELOPE_FIELD_TABLE.filter((row) => row.fromError).map((row) => row.name) as readonly FieldFromError[];

/** A field a thrown error carries. */
export type FieldFromError = Extract<Row, { readonly fromError: true }>['name'];

/**
 * The fields a thrown error carries, each read once, in the spec's order.
 *
 * @example
 * const copy = new EnhancedError({ ...fieldsFromError(error), retryAfter: error.retryAfter });
 */
export function fieldsFromError<T extends { readonly [F in FieldFromError]?: unknown }>(error: T): Pick<T, FieldFromError> {
  const picked: Partial<Record<FieldFromError, unknown>> = {};
  for (const field of FIELDS_FROM_ERROR) picked[field] = error[field];
  return picked as Pick<T, FieldFromError>;
}
