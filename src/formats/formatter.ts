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
}
