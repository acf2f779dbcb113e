import { statusError } from '../core/normalize/status-error';
import { canFormatItems, type FormattedItem, type ItemFormatter } from '../core/formats/formatter';
import { createNegotiator, type Negotiate } from '../core/formats/negotiate';
import { writeAnswer } from '../adapters/node/write-answer';
import { ACCEPT, ACCEPT_AND_LANGUAGE, type Answer, answerHeaders, type LocalizedAnswer, localizedAnswer } from '../core/answer/answer';
import { settleRequestIds, type RequestView } from '../core/answer/request-view';
import { keepRequestIds, requestViewOf } from '../adapters/express/request-context';
import type { HttpRequest, HttpResponse } from '../adapters/http';
import type { ErrorPipeline } from '../adapters/express/pipeline';
import { recordAndReport } from '../adapters/express/respond';
import { isNonEmptyString } from '../core/registry/validate';
import { readItemParts } from './item-fields';
import { planRetry } from './retry';

export interface ItemOptions {
  /**
   * The most items one request may carry; a longer list is answered with a
   * top-level `too_many_resources` error (the registry's 400 code when it has none). Default: 100; Infinity turns it off.
   */
  maxItems?: number;
}

export const DEFAULT_MAX_ITEMS = 100;

export interface ItemsResponse {
  /** Names the list: `resources`, `decisions`, … (the JSON member, the XML root element). */
  collection: string;
  /**
   * Plain objects of JSON data, in the order to send. An item fails when its
   * `error` member is set: an EnhancedError, or anything thrown while serving
   * it, normalized and redacted exactly as the error handler would.
   */
  items: readonly object[];
}

/**
 * Answers `200 OK` with every item, each failed one carrying an `error`
 * object like a top-level error's, with the response's single trace.
 * Throws a TypeError, before anything is sent, when an item is not plain
 * JSON data or the response was already sent: that is the route's mistake.
 */
export type SendItems = (req: HttpRequest, res: HttpResponse, response: ItemsResponse) => void;

/**
 * Returns the request's list of items, or throws the top-level error that
 * answers the whole request: `bad_request` (through the `statusCodes` map for
 * 400) when it is not a list, `too_many_resources` when it is too long.
 */
export type ReadItems = (value: unknown, name?: string) => unknown[];

export interface ItemResponder {
  readItems: ReadItems;
  sendItems: SendItems;
}

// A failed item carries its localized answer; one that succeeded has none of its members.
type ItemResult = { fields: FormattedItem['fields'] } & (LocalizedAnswer | { [key in keyof LocalizedAnswer]?: undefined });

/** Builds the item helpers on the handler's pipeline; checks `maxItems` now. */
export function createItemResponder(pipeline: ErrorPipeline, options: ItemOptions = {}): ItemResponder {
  const { normalize, defaultRetryAfter } = pipeline;
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  if (typeof maxItems !== 'number' || !(maxItems === Infinity || (Number.isSafeInteger(maxItems) && maxItems > 0))) {
    throw new TypeError('maxItems option must be a positive integer or Infinity');
  }
  // Only codes of the registry in use are sent: without too_many_resources, a list too long is its 400.
  const { registry } = pipeline;
  const negotiate = itemNegotiator(pipeline);

  function readItems(value: unknown, name = 'items'): unknown[] {
    if (!Array.isArray(value)) {
      throw normalize(statusError(400, `The ${name} parameter must be a list.`));
    }
    if (value.length > maxItems) {
      const details = `The request has ${value.length} ${name}; at most ${maxItems} are allowed.`;
      if (registry.has('too_many_resources')) throw registry.create('too_many_resources', { details });
      throw normalize(statusError(400, details));
    }
    return value;
  }

  function sendItems(req: HttpRequest, res: HttpResponse, { collection, items }: ItemsResponse): void {
    if (res.headersSent) throw new TypeError('sendItems: the response has already been sent');
    if (!isNonEmptyString(collection)) throw new TypeError('sendItems: collection must be a non-empty string');
    if (!Array.isArray(items)) throw new TypeError('sendItems: items must be an array');
    if (negotiate === undefined) throw new TypeError('sendItems: no configured formatter implements formatItems');
    const parts = items.map(readItemParts);
    const answer = answerItems(requestViewOf(req, res), negotiate, collection, parts);
    keepRequestIds(res, answer);
    writeAnswer(res, answer);
    recordAndReport(pipeline, answer, req, res);
  }

  /** The item response as data. A formatter that throws leaves the response as the route left it. */
  function answerItems(
    request: RequestView,
    negotiateItems: Negotiate<ItemFormatter>,
    collection: string,
    parts: readonly ReturnType<typeof readItemParts>[],
  ): Answer {
    const ids = settleRequestIds(request, pipeline.ids);
    const results = parts.map(({ fields, failed, thrown }): ItemResult =>
      failed ? { fields, ...localizedAnswer(pipeline, normalize(thrown), request, ids.trace) } : { fields },
    );
    const formatter = negotiateItems(request);
    const body = formatter.formatItems(
      collection,
      results.map(({ fields, envelope }) => (envelope === undefined ? { fields } : { fields, error: envelope })),
    );
    const { retryAfter } = planRetry(results, { retryAfter: defaultRetryAfter });
    // Items may fall back to different locales; Content-Language lists each one used.
    const languages = new Set(results.flatMap(({ locale }) => (locale === undefined ? [] : [locale])));
    return {
      status: 200,
      headers: answerHeaders(pipeline.ids, ids.requestId, {
        contentType: formatter.contentType,
        retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
        language: languages.size > 0 ? [...languages].join(', ') : undefined,
      }),
      vary: results.some(({ varies }) => varies === true) ? ACCEPT_AND_LANGUAGE : ACCEPT,
      body,
      sent: results,
      scope: 'item',
      ...ids,
    };
  }

  return { readItems, sendItems };
}

/**
 * Negotiates among the formatters that write items only. The handler's
 * default type is kept when one of them offers it, else the first one's.
 * Undefined when none does: the error handler works, sendItems refuses.
 */
function itemNegotiator({ formatters, defaultType }: ErrorPipeline): Negotiate<ItemFormatter> | undefined {
  const itemFormatters = formatters.filter(canFormatItems);
  const offered = itemFormatters.some((formatter) => formatter.mediaTypes.includes(defaultType));
  const fallback = offered ? defaultType : itemFormatters[0]?.mediaTypes[0];
  return fallback === undefined ? undefined : createNegotiator(itemFormatters, fallback);
}
