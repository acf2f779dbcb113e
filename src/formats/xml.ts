import { create, fragment } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { ENVELOPE_FIELDS, type Envelope } from '../envelope/envelope';
import type { Formatter } from './formatter';

/**
 * Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR,
 * U+FFFE/U+FFFF, lone surrogates): each becomes U+FFFD.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Two characters travel through xmlbuilder2 in disguise, as the two
 * noncharacters that the step above never leaves in a text:
 * - CR as U+FFFF, because a parser turns a literal CR into LF, so it must
 *   travel as `&#xD;`, which the builder would spoil by escaping its `&`;
 * - `&` as U+FFFE, because the builder leaves an `&` that starts something
 *   like `&amp;` or `&#65;` as it is, and a parser would decode it.
 * finishXml swaps both for their references in the serialized string.
 */
const CR_PLACEHOLDER = '\uFFFF';
const AMP_PLACEHOLDER = '\uFFFE';
const PLACEHOLDERS = /[\uFFFE\uFFFF]/g;

export function toXmlText(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD').replace(/\r/g, CR_PLACEHOLDER).replace(/&/g, AMP_PLACEHOLDER);
}

export function finishXml(serialized: string): string {
  return serialized.replace(PLACEHOLDERS, (placeholder) => (placeholder === CR_PLACEHOLDER ? '&#xD;' : '&amp;'));
}

/** Appends `<error>` with one child element per present field, in the spec's order. */
export function appendErrorElement(parent: XMLBuilder, envelope: Envelope): void {
  const element = parent.ele('error');
  for (const field of ENVELOPE_FIELDS) {
    const value = envelope[field];
    if (value !== undefined) element.ele(field).txt(toXmlText(String(value)));
  }
}

export function newXmlDocument(): XMLBuilder {
  return create({ version: '1.0', encoding: 'UTF-8' });
}

/**
 * A text that neither toXmlText nor the builder changes: its serialization is
 * the text itself. Surrogates, even paired, take the slow path to be safe.
 */
const PLAIN_TEXT = /^[^&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]*$/;

/** Serialized texts that needed the builder: a service's own messages with `&` or `<` repeat. */
const serializedTexts = new Map<string, string>();
const SERIALIZED_TEXTS_MAX = 256;
const CACHED_TEXT_MAX_LENGTH = 1024;

/** A value's text as xmlbuilder2 serializes it in an element, exactly, for any string. */
export function serializeXmlText(value: string): string {
  if (PLAIN_TEXT.test(value)) return value;
  let serialized = serializedTexts.get(value);
  if (serialized === undefined) {
    serialized = finishXml(fragment().txt(toXmlText(value)).end());
    if (value.length <= CACHED_TEXT_MAX_LENGTH) {
      // Bounded: thrown details may all differ, and must not grow the heap.
      if (serializedTexts.size >= SERIALIZED_TEXTS_MAX) serializedTexts.clear();
      serializedTexts.set(value, serialized);
    }
  }
  return serialized;
}

/**
 * Markup that never changes is serialized once, by xmlbuilder2, around a
 * marker that stands for the content; a response only joins the pieces.
 */
const CONTENT = 'CONTENT';

function aroundContent(serialized: string): readonly [open: string, close: string] {
  const at = serialized.indexOf(CONTENT);
  if (at < 0) throw new Error(`xml formatter: no content marker in ${serialized}`);
  return [serialized.slice(0, at), serialized.slice(at + CONTENT.length)];
}

const [ERROR_DOCUMENT_OPEN, ERROR_DOCUMENT_CLOSE] = aroundContent(
  newXmlDocument().ele('error').txt(CONTENT).end({ prettyPrint: false }),
);

const FIELD_MARKUP = ENVELOPE_FIELDS.map((field) => [field, ...aroundContent(fragment().ele(field).txt(CONTENT).end())] as const);

/** The envelope's fields as `<error>`'s children, the same as appendErrorElement would give. */
export function serializeErrorFields(envelope: Envelope): string {
  let xml = '';
  for (const [field, open, close] of FIELD_MARKUP) {
    const value = envelope[field];
    if (value !== undefined) xml += open + serializeXmlText(String(value)) + close;
  }
  return xml;
}

export const xmlFormatter: Formatter = {
  mediaTypes: ['application/xml', 'text/xml'],
  contentType: 'application/xml; charset=utf-8',
  formatError(envelope) {
    return ERROR_DOCUMENT_OPEN + serializeErrorFields(envelope) + ERROR_DOCUMENT_CLOSE;
  },
};
