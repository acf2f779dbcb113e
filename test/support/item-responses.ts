import type { ServerResponse } from 'node:http';
import { appendErrorElement, finishXml, newXmlDocument, toXmlText, xmlFormatter } from '../../src/formats/xml';
import { retryAfterHeader } from '../../src/envelope/envelope';
import type { Envelope } from '../../src/envelope/envelope';
import { createErrorPipeline, type EnhancedErrorHandlerOptions } from '../../src/handler/handler';
import { setSafeHeader, writeResponse } from '../../src/handler/headers';
import { requestIds } from '../../src/handler/request-context';
import type { HttpRequest } from '../../src/http';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

/**
 * A stand-in for the item-level helper (built in its own issue), writing the
 * documented item-level shapes from the real error pipeline: JSON
 * `{"<collection>": [{...fields, "error"?: {...}}]}`, and XML with a root named
 * after the collection, one `<item>` per item, fields as child elements and a
 * failed item's `<error>` as in top-level XML. Replace with the real helper
 * once it lands.
 */
export type ItemResult = { fields: Record<string, unknown>; error?: unknown };

export function itemResponder(options: EnhancedErrorHandlerOptions = {}) {
  const pipeline = createErrorPipeline({ log: false, ...options });
  return function sendItems(req: HttpRequest, res: ServerResponse, collection: string, results: readonly ItemResult[]): void {
    const { trace } = requestIds(req, res, pipeline.ids);
    let retryAfter: { header: string; at: number } | undefined;
    const items = results.map(({ fields, error }) => {
      if (error === undefined) return { fields };
      const normalized = pipeline.normalize(error);
      const header = retryAfterHeader(normalized, pipeline.defaultRetryAfter);
      if (header !== undefined) {
        const at = /^\d+$/.test(header) ? Date.now() + Number(header) * 1000 : Date.parse(header);
        if (retryAfter === undefined || at > retryAfter.at) retryAfter = { header, at };
      }
      return { fields, envelope: pipeline.buildEnvelope(normalized, req, trace) };
    });
    if (retryAfter !== undefined) setSafeHeader(res, 'Retry-After', retryAfter.header);
    const formatter = pipeline.negotiate(req);
    if (formatter === xmlFormatter) {
      const doc = newXmlDocument();
      const root = doc.ele(collection);
      for (const { fields, envelope } of items) {
        const item = root.ele('item');
        appendFields(item, fields);
        if (envelope !== undefined) appendErrorElement(item, envelope);
      }
      writeResponse(req, res, { status: 200, contentType: xmlFormatter.contentType, vary: ['Accept'] }, finishXml(doc.end()));
      return;
    }
    const body = {
      [collection]: items.map(({ fields, envelope }): Record<string, unknown> => (envelope === undefined ? fields : { ...fields, error: envelope satisfies Envelope })),
    };
    writeResponse(req, res, { status: 200, contentType: 'application/json; charset=utf-8', vary: ['Accept'] }, JSON.stringify(body));
  };
}

function appendFields(parent: XMLBuilder, fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value !== null && typeof value === 'object') appendFields(parent.ele(name), value as Record<string, unknown>);
    else parent.ele(name).txt(toXmlText(String(value)));
  }
}
