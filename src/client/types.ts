import type { EnvelopeFieldRow, EnvelopeFieldValue } from '../core/envelope/fields';
import type { Action, VimondError } from '../core/shared/types';

/**
 * An action as received. The spec's set is restricted but may grow, so a value
 * this version does not know is kept as it came rather than rejected.
 */
export type ReceivedAction = Action | (string & {});

/** The spec's fields as a client reads them (see `clientRequires` in fields.ts): the others may be absent. */
type ReceivedFields = {
  readonly [R in Extract<EnvelopeFieldRow, { readonly clientRequires: true }> as R['name']]: EnvelopeFieldValue<R>;
} & { readonly [R in Extract<EnvelopeFieldRow, { readonly clientRequires: false }> as R['name']]?: EnvelopeFieldValue<R> };

/** One Enhanced Error Code object as a client received it, whatever the wire shape. */
export interface ReceivedError extends Omit<ReceivedFields, 'action' | 'status'> {
  readonly action: ReceivedAction;
  /** The error's own `status` field; it may differ from the HTTP status (always so for item-level errors). */
  readonly status: number;
}

/** A plain JSON-like item; XML item fields arrive as strings, nested elements as objects. */
export type ItemFields = Readonly<Record<string, unknown>>;

/** One item of an item-level response, in the order the server sent them. */
export interface ReceivedItem {
  readonly index: number;
  /** The item's own fields, without its `error` member. */
  readonly fields: ItemFields;
  readonly error?: ReceivedError;
}

export interface ItemError extends ReceivedItem {
  readonly error: ReceivedError;
}

/** What every result tells about the response itself. */
interface ResponseFacts {
  /** The HTTP status of the response. */
  readonly httpStatus: number;
  /** The Retry-After header: seconds, or the moment after which to retry. */
  readonly retryAfter?: number | Date;
  /**
   * A Retry-After header that is neither delay-seconds nor an HTTP-date (e.g.
   * `120, 120`, a repeated header), as received: the server asked for a wait
   * that cannot be read. See `invalidRetryAfterMs` of the retrying helpers.
   */
  readonly invalidRetryAfter?: string;
  /** The request id (X-Request-Id or Adobe-Request-Id by default), worth quoting with `trace` in a support request. */
  readonly requestId?: string;
}

/** The error object is the whole body (flat JSON, `<error>` XML, or RFC 9457 problem details). */
export interface TopLevelResult extends ResponseFacts {
  readonly kind: 'top-level';
  readonly format: 'json' | 'xml' | 'problem+json' | 'problem+xml';
  readonly error: ReceivedError;
}

/**
 * A partial-success response: a collection of items, each failed one carrying
 * its own error. `errors` is empty when every item succeeded.
 */
export interface ItemLevelResult extends ResponseFacts {
  readonly kind: 'item-level';
  readonly format: 'json' | 'xml';
  /** The collection's name, e.g. `resources` (REST v1) or `decisions` (REST v2). */
  readonly collection: string;
  readonly items: readonly ReceivedItem[];
  readonly errors: readonly ItemError[];
}

export type { VimondError } from '../core/shared/types';

/** A Vimond body: it carries no action and no status field of its own. */
export interface VimondResult extends ResponseFacts {
  readonly kind: 'vimond';
  readonly format: 'vimond';
  readonly errors: readonly VimondError[];
}

export type NotEnhancedReason =
  'empty-body' | 'unreadable-body' | 'not-json-or-xml' | 'malformed-json' | 'malformed-xml' | 'unrecognized-shape' | 'invalid-error-object';

/** Anything else: an HTML page, an empty or truncated body, another API's JSON. */
export interface NotEnhancedResult extends ResponseFacts {
  readonly kind: 'not-enhanced';
  readonly reason: NotEnhancedReason;
  /** A sentence saying what was found, for logs. */
  readonly description: string;
}

export type ParsedResponse = TopLevelResult | ItemLevelResult | VimondResult | NotEnhancedResult;

/** Fetch's `Headers`, or Node's incoming headers object. */
export type HeadersLike = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** A response whose body is already read. */
export interface ReadResponse {
  readonly status: number;
  readonly headers?: HeadersLike;
  readonly body: string | Uint8Array | null | undefined;
}

/** Fetch's `Response`, or anything shaped like it. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: HeadersLike;
  readonly bodyUsed?: boolean;
  text(): Promise<string>;
}
