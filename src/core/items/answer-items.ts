import {
  ACCEPT,
  ACCEPT_AND_LANGUAGE,
  type Answer,
  type AnswerPipeline,
  answerHeaders,
  type LocalizedAnswer,
  localizedAnswer,
} from '../answer/answer';
import { settleRequestIds, type RequestView } from '../answer/request-view';
import { canFormatItems, type FormattedItem, type ItemFormatter } from '../formats/formatter';
import { createNegotiator, type Negotiate } from '../formats/negotiate';
import { isNonEmptyString } from '../registry/validate';
import { statusError } from '../normalize/status-error';
import { readItemParts } from './item-fields';
import { planRetry } from './retry';

// Partial-success answers: a 200 whose failed items carry error objects,
// normalized, localized and negotiated exactly like a top-level error.

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
 * Returns the request's list of items, or throws the top-level error that
 * answers the whole request: `bad_request` (through the `statusCodes` map for
 * 400) when it is not a list, `too_many_resources` when it is too long.
 */
export type ReadItems = (value: unknown, name?: string) => unknown[];

/**
 * The item response as data. Throws a TypeError, before anything is sent,
 * when an item is not plain JSON data or no formatter writes items: that is
 * the route's mistake. `who` names the caller in those messages.
 */
export type AnswerItems = (request: RequestView, response: ItemsResponse, who: string) => Answer;

export interface ItemAnswerer {
  readItems: ReadItems;
  answerItems: AnswerItems;
}

// A failed item carries its localized answer; one that succeeded has none of its members.
type ItemResult = { fields: FormattedItem['fields'] } & (LocalizedAnswer | { [key in keyof LocalizedAnswer]?: undefined });

/** Builds the item helpers on an answer pipeline; checks `maxItems` now. */
export function createItemAnswerer(pipeline: AnswerPipeline, options: ItemOptions = {}): ItemAnswerer {
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

  function answerItems(request: RequestView, { collection, items }: ItemsResponse, who: string): Answer {
    if (!isNonEmptyString(collection)) throw new TypeError(`${who}: collection must be a non-empty string`);
    if (!Array.isArray(items)) throw new TypeError(`${who}: items must be an array`);
    if (negotiate === undefined) throw new TypeError(`${who}: no configured formatter implements formatItems`);
    const parts = items.map(readItemParts);
    const ids = settleRequestIds(request, pipeline.ids);
    const results = parts.map(({ fields, failed, thrown }): ItemResult =>
      failed ? { fields, ...localizedAnswer(pipeline, normalize(thrown), request, ids.trace) } : { fields },
    );
    const formatter = negotiate(request);
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

  return { readItems, answerItems };
}

/**
 * Negotiates among the formatters that write items only. The handler's
 * default type is kept when one of them offers it, else the first one's.
 * Undefined when none does: the error handler works, item answers are refused.
 */
function itemNegotiator({ formatters, defaultType }: AnswerPipeline): Negotiate<ItemFormatter> | undefined {
  const itemFormatters = formatters.filter(canFormatItems);
  const offered = itemFormatters.some((formatter) => formatter.mediaTypes.includes(defaultType));
  const fallback = offered ? defaultType : itemFormatters[0]?.mediaTypes[0];
  return fallback === undefined ? undefined : createNegotiator(itemFormatters, fallback);
}
