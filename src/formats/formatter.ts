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
   * Writes several top-level errors in one body, in the order thrown (an
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
