import accepts from 'accepts';
import type { HttpRequest } from '../http';
import type { Formatter } from './formatter';

export type Negotiate<F extends Formatter = Formatter> = (req: HttpRequest) => F;

/**
 * Picks the formatter for a request with `accepts`, honouring q-values and
 * order. The default formatter's types come first, so that a missing Accept
 * or `*\/*` gets it; a request that accepts nothing offered gets it too,
 * because an error response is never worth a 406.
 */
export function createNegotiator<F extends Formatter>(formatters: readonly F[], defaultType: string): Negotiate<F> {
  const byType = new Map<string, F>();
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

  return function negotiate(req) {
    if (req.headers.accept === undefined) return fallback;
    const chosen = accepts(req).type(types);
    return (typeof chosen === 'string' && byType.get(chosen)) || fallback;
  };
}
