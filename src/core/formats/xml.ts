import { ENVELOPE_FIELDS, type Envelope } from '../envelope/envelope';
import type { FormattedItem, Formatter, ItemValue } from './formatter';
import type { PassFormatOptions } from './json';
import { BoundedMemo } from './bounded-memo';
import { withWireShape } from './wire-shape';
import { element, elementMarkup, type ElementMarkup, textElement, XML_DECLARATION } from './xml-writer';

const ERROR_MARKUP = elementMarkup('error');
const ITEM_MARKUP = elementMarkup('item');
const FIELD_MARKUP = ENVELOPE_FIELDS.map((field) => [field, elementMarkup(field)] as const);

/** The envelope's fields as `<error>`'s children, in the spec's order, as a per-response document would give them. */
function serializeErrorFields(envelope: Envelope): string {
  let xml = '';
  for (const [field, markup] of FIELD_MARKUP) {
    const value = envelope[field];
    if (value !== undefined) xml += textElement(markup, String(value));
  }
  return xml;
}

/** Markup of the names item responses use (field names may come from data); a refused name throws and is never kept. */
const namedMarkup = new BoundedMemo<ElementMarkup>(256, 256);

function markupNamed(name: string): ElementMarkup {
  let markup = namedMarkup.get(name);
  // Stryker disable next-line ConditionalExpression: a memo; building the markup again gives the same markup.
  if (markup === undefined) {
    markup = elementMarkup(name);
    namedMarkup.set(name, markup);
  }
  return markup;
}

/**
 * A field as an element of its name: text for strings, numbers (as JSON
 * writes them) and booleans (`true`/`false`); nothing for null; one child
 * element per member for an object; one `<value>` child per entry for an array.
 */
function serializeField(name: string, value: ItemValue): string {
  const markup = markupNamed(name);
  if (value === null) return markup.empty;
  let children = '';
  if (isItemList(value)) {
    for (const entry of value) children += serializeField('value', entry);
  } else if (typeof value === 'object') {
    for (const [field, member] of Object.entries(value)) children += serializeField(field, member);
  } else {
    return textElement(markup, String(value));
  }
  return element(markup, children);
}

function isItemList(value: ItemValue): value is readonly ItemValue[] {
  return Array.isArray(value);
}

const FIELDS_MARKUP = elementMarkup('fields');
const FIELD_ERROR_MARKUP = elementMarkup('field');
const OMITTED_FIELDS_MARKUP = elementMarkup('omittedFields');
const FIELD_ERROR_MEMBERS = (['pointer', 'path', 'message', 'code'] as const).map((member) => [member, elementMarkup(member)] as const);

/** `<fields><field><pointer>…</pointer><message>…</message></field>…</fields><omittedFields>n</omittedFields>`. */
function serializeFieldErrors(envelope: Envelope): string {
  let xml = '';
  if (envelope.fields !== undefined) {
    let list = '';
    for (const field of envelope.fields) {
      let members = '';
      for (const [member, markup] of FIELD_ERROR_MEMBERS) {
        const value = field[member];
        if (value !== undefined) members += textElement(markup, value);
      }
      list += element(FIELD_ERROR_MARKUP, members);
    }
    xml += element(FIELDS_MARKUP, list);
  }
  if (envelope.omittedFields !== undefined) xml += textElement(OMITTED_FIELDS_MARKUP, String(envelope.omittedFields));
  return xml;
}

/**
 * The spec's `<error>` element with one child per field. With `fieldErrors`,
 * the field errors follow the spec's fields (see serializeFieldErrors).
 *
 * @example
 * enhancedErrorHandler({ formatters: [jsonFormatter, createXmlFormatter({ fieldErrors: true })] });
 */
export function createXmlFormatter(options: PassFormatOptions = {}): Formatter {
  if (typeof options !== 'object' || options === null) throw new TypeError('createXmlFormatter: options must be an object');
  if (options.fieldErrors !== undefined && typeof options.fieldErrors !== 'boolean') {
    throw new TypeError('createXmlFormatter: fieldErrors must be a boolean');
  }
  const withFieldErrors = options.fieldErrors === true;
  const errorChildren = (envelope: Envelope) =>
    withFieldErrors ? serializeErrorFields(envelope) + serializeFieldErrors(envelope) : serializeErrorFields(envelope);

  function serializeItem({ fields, error }: FormattedItem): string {
    let children = '';
    for (const [field, value] of Object.entries(fields)) children += serializeField(field, value);
    if (error !== undefined) children += element(ERROR_MARKUP, errorChildren(error));
    return element(ITEM_MARKUP, children);
  }

  return withWireShape(
    {
      mediaTypes: ['application/xml', 'text/xml'],
      contentType: 'application/xml; charset=utf-8',
      formatError(envelope) {
        return XML_DECLARATION + element(ERROR_MARKUP, errorChildren(envelope));
      },
      /** `<collection><item>fields…<error>…</error></item>…</collection>`. */
      formatItems(collection, items) {
        const root = markupNamed(collection);
        if (items.length === 0) return XML_DECLARATION + root.empty;
        const parts = [XML_DECLARATION + root.open];
        for (const item of items) parts.push(serializeItem(item));
        parts.push(root.close);
        return parts;
      },
    },
    { kind: 'pass', fieldErrors: withFieldErrors },
  );
}

/** The spec's XML, without field errors. */
export const xmlFormatter: Formatter = createXmlFormatter();
