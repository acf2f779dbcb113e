import type { Envelope } from '../envelope/envelope';
import type { Formatter } from '../formats/formatter';

/**
 * A trace no formatter escapes or could mistake for anything else: every
 * formatter writes it verbatim, so splitting a body on it finds exactly where
 * the per-response trace goes.
 */
export const TRACE_MARK = 'TraceMark0f3c9a7e5d1b4c2a';

/** A body written once, at start-up, cut where the trace goes. */
export interface PrebuiltBody {
  readonly contentType: string;
  /** The body's text around each place the trace appears; joined with the trace, it is the body. */
  readonly parts: readonly string[];
}

/** Writes the envelope, whose trace must be TRACE_MARK, with the formatter now. */
export function prebuildBody(formatter: Formatter, envelope: Envelope): PrebuiltBody {
  return { contentType: formatter.contentType, parts: formatter.formatError(envelope).split(TRACE_MARK) };
}

/** The prebuilt body with this response's trace spliced into each gap. */
export function bodyWithTrace({ parts }: PrebuiltBody, trace: string): string {
  // Most formats hold the trace once (two parts); Vimond's has none (one part).
  if (parts.length === 2) return parts[0] + trace + parts[1];
  return parts.join(trace);
}
