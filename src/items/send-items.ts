import { writeAnswer } from '../adapters/node/write-answer';
import { keepRequestIds, requestViewOf } from '../adapters/express/request-context';
import type { HttpRequest, HttpResponse } from '../adapters/http';
import type { ErrorPipeline } from '../adapters/express/pipeline';
import { recordAndReport } from '../adapters/express/respond';
import { createItemAnswerer, type ItemOptions, type ItemsResponse, type ReadItems } from '../core/items/answer-items';

export type { ItemOptions, ItemsResponse, ReadItems } from '../core/items/answer-items';

/**
 * Answers `200 OK` with every item, each failed one carrying an `error`
 * object like a top-level error's, with the response's single trace.
 * Throws a TypeError, before anything is sent, when an item is not plain
 * JSON data or the response was already sent: that is the route's mistake.
 */
export type SendItems = (req: HttpRequest, res: HttpResponse, response: ItemsResponse) => void;

export interface ItemResponder {
  readItems: ReadItems;
  sendItems: SendItems;
}

/** Builds the item helpers on the handler's pipeline; checks `maxItems` now. */
export function createItemResponder(pipeline: ErrorPipeline, options: ItemOptions = {}): ItemResponder {
  const { readItems, answerItems } = createItemAnswerer(pipeline, options);

  function sendItems(req: HttpRequest, res: HttpResponse, response: ItemsResponse): void {
    if (res.headersSent) throw new TypeError('sendItems: the response has already been sent');
    const answer = answerItems(requestViewOf(req, res), response, 'sendItems');
    keepRequestIds(res, answer);
    writeAnswer(res, answer);
    recordAndReport(pipeline, answer, req, res);
  }

  return { readItems, sendItems };
}
