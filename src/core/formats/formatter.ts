import type { Envelope } from '../envelope/envelope';

/**
 * One wire shape. The handler picks a formatter by negotiating the request's
 * Accept header against every configured formatter's media types; the
 * formatter alone knows how its bodies look.
 */
export interface Formatter {
  /** Media types this formatter answers, matched against Accept (e.g. `application/xml`, `text/xml`). */
  readonly mediaTypes: readonly string[];
  /** The Content-Type of its responses. */
  readonly contentType: string;
  /** Writes the body of a top-level error response. */
  formatError(envelope: Envelope): string;
  /**
   * Optional: writes the body of a partial-success (`200 OK`) response, the
   * collection's items in order, each failed one with its `error`. Item
   * responses are negotiated only among the formatters that implement it.
   */
  formatItems?(collection: string, items: readonly FormattedItem[]): string | readonly string[];
  /**
   * Optional: writes several top-level errors in one body, in the order thrown (an
   * AggregateError of EnhancedErrors). Formats without it answer with the
   * primary error alone.
   */
  formatErrors?(envelopes: readonly Envelope[]): string;
  /**
   * When true, chosen only when Accept names one of its media types: a
   * wildcard (`*\/*`, `application/*`) never selects it, unless it is the
   * default. For shapes a client must ask for, like problem details.
   */
  readonly explicitOnly?: boolean;
}

/** What JSON can carry: the values an item field may hold. */
export type ItemValue = string | number | boolean | null | readonly ItemValue[] | { readonly [field: string]: ItemValue };

/** One item of a partial-success response, checked and ready to write. */
export interface FormattedItem {
  /** The item's own fields in the route's order; never `error`. */
  readonly fields: { readonly [field: string]: ItemValue };
  /** Present when the item failed; written after the fields, as in the spec's examples. */
  readonly error?: Envelope;
}

/** A formatter that writes item responses. */
export type ItemFormatter = Formatter & Required<Pick<Formatter, 'formatItems'>>;

/** Item responses are negotiated among these formatters only. */
export function canFormatItems(formatter: Formatter): formatter is ItemFormatter {
  return typeof formatter.formatItems === 'function';
}
