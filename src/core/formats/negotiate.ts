import { acceptedMediaRanges, preferredMediaType } from '../accept-headers';
import type { RequestView } from '../answer/request-view';
import { BoundedMemo } from './bounded-memo';
import type { Formatter } from './formatter';

export type Negotiate<F extends Formatter = Formatter> = (request: RequestView) => F;

/**
 * Picks the formatter for a request with `negotiator`, honouring q-values and
 * order. The default formatter's types come first, so that a missing Accept
 * or `*\/*` gets it; a request that accepts nothing offered gets it too,
 * because an error response is never worth a 406. An `explicitOnly`
 * formatter that won only through a wildcard gives way to the others.
 */
export function createNegotiator<F extends Formatter>(
  formatters: readonly F[],
  defaultType: string,
  /** Offered after `formatters`, for a type no formatter offers; never the default. */
  alsoOffered: readonly F[] = [],
): Negotiate<F> {
  const byType = formattersByType(formatters);
  const fallback = byType.get(defaultType);
  if (fallback === undefined) {
    throw new TypeError(`defaultType ${JSON.stringify(defaultType)} is not a media type of any configured formatter`);
  }
  for (const [type, formatter] of formattersByType(alsoOffered)) {
    if (!byType.has(type)) byType.set(type, formatter);
  }
  // The default's types first, then every other once, in the order configured.
  const types = [...new Set([...fallback.mediaTypes, ...byType.keys()])];
  const isExplicitOnly = (formatter: Formatter) => formatter.explicitOnly === true && formatter !== fallback;
  const wildcardTypes = types.filter((type) => !isExplicitOnly(byType.get(type) ?? fallback));

  // Clients send few distinct Accept values, so each one's answer is kept:
  // parsing it again is most of a negotiation's cost.
  const chosenByAccept = new BoundedMemo<F>(64, 512);

  return function negotiate(request) {
    const header = request.header('accept');
    if (header === undefined) return fallback;
    const known = chosenByAccept.get(header);
    if (known !== undefined) return known;
    let chosen = preferredMediaType(header, types);
    if (chosen !== undefined && isExplicitOnly(byType.get(chosen) ?? fallback)) {
      const wanted = chosen.toLowerCase();
      const named = acceptedMediaRanges(header).some((range) => range.toLowerCase() === wanted);
      if (!named) chosen = preferredMediaType(header, wildcardTypes);
    }
    const formatter = (chosen !== undefined && byType.get(chosen)) || fallback;
    chosenByAccept.set(header, formatter);
    return formatter;
  };
}

/**
 * Each media type offered, with the formatter that answers a request naming
 * it: the first configured one that offers it. A formatter all of whose
 * types an earlier one offers is never chosen.
 */
export function formattersByType<F extends Formatter>(formatters: readonly F[]): Map<string, F> {
  const byType = new Map<string, F>();
  for (const formatter of formatters) {
    for (const type of formatter.mediaTypes) {
      if (!byType.has(type)) byType.set(type, formatter);
    }
  }
  return byType;
}

/** A formatter is called on every error: a broken one must fail where it is configured, not at request time. */
export function assertFormatters(formatters: unknown): asserts formatters is readonly Formatter[] {
  if (!Array.isArray(formatters) || formatters.length === 0) throw new TypeError('formatters option must be a non-empty array');
  formatters.forEach((formatter: Partial<Formatter> | null, index) => {
    const where = `formatters[${index}]`;
    if (typeof formatter !== 'object' || formatter === null) throw new TypeError(`${where} must be a formatter object`);
    const { mediaTypes, contentType, formatError } = formatter;
    if (
      !Array.isArray(mediaTypes) ||
      mediaTypes.length === 0 ||
      !mediaTypes.every((type) => typeof type === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(type))
    ) {
      throw new TypeError(`${where}.mediaTypes must be a non-empty list of type/subtype strings`);
    }
    if (typeof contentType !== 'string' || !/^[\x20-\x7e]+$/.test(contentType))
      throw new TypeError(`${where}.contentType must be a header value`);
    if (typeof formatError !== 'function') throw new TypeError(`${where}.formatError must be a function`);
  });
}
