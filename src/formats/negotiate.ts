import accepts from 'accepts';
import type { HttpRequest } from '../http';
import type { Formatter } from './formatter';

export type Negotiate = (req: HttpRequest) => Formatter;

const REMEMBERED_ACCEPT_VALUES = 64;
const REMEMBERED_ACCEPT_MAX_LENGTH = 512;

/**
 * Picks the formatter for a request with `accepts`, honouring q-values and
 * order. The default formatter's types come first, so that a missing Accept
 * or `*\/*` gets it; a request that accepts nothing offered gets it too,
 * because an error response is never worth a 406.
 */
export function createNegotiator(formatters: readonly Formatter[], defaultType: string): Negotiate {
  const byType = new Map<string, Formatter>();
  for (const formatter of formatters) {
    for (const type of formatter.mediaTypes) {
      if (!byType.has(type)) byType.set(type, formatter);
    }
  }
  const fallback = byType.get(defaultType);
  if (fallback === undefined) {
    throw new TypeError(`defaultType ${JSON.stringify(defaultType)} is not a media type of any configured formatter`);
  }
  const types = [...fallback.mediaTypes, ...[...byType.keys()].filter((type) => !fallback.mediaTypes.includes(type))];

  // Clients send few distinct Accept values, so each one's answer is kept:
  // parsing it again is most of a negotiation's cost. Bounded against
  // clients that vary it.
  const chosenByAccept = new Map<string, Formatter>();

  return function negotiate(req) {
    const accept = req.headers.accept;
    if (accept === undefined) return fallback;
    const known = chosenByAccept.get(accept);
    if (known !== undefined) return known;
    const chosen = accepts(req).type(types);
    const formatter = (typeof chosen === 'string' && byType.get(chosen)) || fallback;
    if (accept.length <= REMEMBERED_ACCEPT_MAX_LENGTH) {
      if (chosenByAccept.size >= REMEMBERED_ACCEPT_VALUES) chosenByAccept.clear();
      chosenByAccept.set(accept, formatter);
    }
    return formatter;
  };
}
