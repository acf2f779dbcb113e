import { fragment } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { newXmlDocument } from './xml-document';
import { ENVELOPE_FIELDS, type Envelope } from '../envelope/envelope';
import type { FormattedItem, Formatter, ItemValue } from './formatter';
import type { PassFormatOptions } from './json';
import { BoundedMemo } from './bounded-memo';
import { withWireShape } from './wire-shape';

/**
 * Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR,
 * U+FFFE/U+FFFF, lone surrogates): each becomes U+FFFD.
 */
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A parser turns a literal CR into LF, so CR must travel as `&#xD;`.
 * xmlbuilder2 escapes `&` and would spoil a reference written into the text,
 * so CR is carried through the builder as U+FFFF (never left in the text by
 * the step above) and swapped for the reference in the serialized string.
 */
const CR_PLACEHOLDER = '\uFFFF';

/**
 * xmlbuilder2 leaves an `&` that starts `&name;` or `&#NN;` unescaped, taking
 * it for a reference: text "&amp;" would be read back as "&", and "&x;" would
 * break the document. So every `&` travels as U+FFFE and becomes `&amp;`.
 */
const AMP_PLACEHOLDER = '\uFFFE';

/** The text with every character XML 1.0 cannot carry replaced by U+FFFD. */
export function withoutNonXmlChars(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
}

export function toXmlText(value: string): string {
  return withoutNonXmlChars(value).replace(/\r/g, CR_PLACEHOLDER).replace(/&/g, AMP_PLACEHOLDER);
}

export function finishXml(serialized: string): string {
  return serialized.replaceAll(CR_PLACEHOLDER, '&#xD;').replaceAll(AMP_PLACEHOLDER, '&amp;');
}

/**
 * A text that neither toXmlText nor the builder changes: its serialization is
 * the text itself. Surrogates, even paired, take the slow path to be safe.
 */
const PLAIN_TEXT = /^[^&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]*$/;

/** Serialized texts that needed the builder: a service's own messages with `&` or `<` repeat; thrown details may all differ. */
const serializedTexts = new BoundedMemo<string>(256, 1024);

/** A value's text as xmlbuilder2 serializes it in an element, exactly, for any string. */
export function serializeXmlText(value: string): string {
  // Stryker disable next-line ConditionalExpression: a shortcut; the builder writes such a text unchanged.
  if (PLAIN_TEXT.test(value)) return value;
  let serialized = serializedTexts.get(value);
  // Stryker disable next-line ConditionalExpression: a memo; building the text again gives the same text.
  if (serialized === undefined) {
    serialized = finishXml(fragment().txt(toXmlText(value)).end());
    serializedTexts.set(value, serialized);
  }
  return serialized;
}

/**
 * Markup that never changes is serialized once, by xmlbuilder2, around a
 * marker that stands for the content; a response only joins the pieces. The
 * marker is a character that neither a name nor the declaration can hold.
 */
const CONTENT = '\u0001';

function aroundContent(serialized: string): readonly [open: string, close: string] {
  const at = serialized.indexOf(CONTENT);
  // Stryker disable next-line all: an invariant of the markup built at load time, which no request reaches.
  if (at < 0) throw new Error(`xml formatter: no content marker in ${serialized}`);
  return [serialized.slice(0, at), serialized.slice(at + CONTENT.length)];
}

/** `<name>`, `</name>` and the childless `<name/>`, as xmlbuilder2 writes them. */
interface ElementMarkup {
  readonly open: string;
  readonly close: string;
  readonly empty: string;
}

function markupOf(name: string): ElementMarkup {
  const [open, close] = aroundContent(appendNamedElement(fragment(), name).txt(CONTENT).end());
  return { open, close, empty: appendNamedElement(fragment(), name).end() };
}

/** An element with children as xmlbuilder2 writes it: childless, it closes itself. */
function element(markup: ElementMarkup, children: string): string {
  return children === '' ? markup.empty : markup.open + children + markup.close;
}

/** An element with one text, even an empty one. */
function textElement(markup: ElementMarkup, value: string): string {
  return markup.open + serializeXmlText(value) + markup.close;
}

const XML_DECLARATION = newXmlDocument().end({ prettyPrint: false });
const ERROR_MARKUP = markupOf('error');
const ITEM_MARKUP = markupOf('item');
const FIELD_MARKUP = ENVELOPE_FIELDS.map((field) => [field, markupOf(field)] as const);

/** The envelope's fields as `<error>`'s children, in the spec's order, as a per-response document would give them. */
function serializeErrorFields(envelope: Envelope): string {
  let xml = '';
  for (const [field, markup] of FIELD_MARKUP) {
    const value = envelope[field];
    if (value !== undefined) xml += textElement(markup, String(value));
  }
  return xml;
}

/**
 * An element named after a collection or item field. xmlbuilder2 refuses
 * names XML does not allow; an empty name and a prefix (which would need a
 * namespace declaration) are refused here.
 */
function appendNamedElement(parent: XMLBuilder, name: string): XMLBuilder {
  try {
    if (name.length === 0 || name.includes(':')) throw new TypeError('empty or prefixed name');
    return parent.ele(name);
  } catch (cause) {
    throw new TypeError(`XML item response: ${JSON.stringify(name)} is not usable as an element name`, { cause });
  }
}

/** Markup of the names item responses use (field names may come from data); a refused name throws and is never kept. */
const namedMarkup = new BoundedMemo<ElementMarkup>(256, 256);

function markupNamed(name: string): ElementMarkup {
  let markup = namedMarkup.get(name);
  // Stryker disable next-line ConditionalExpression: a memo; building the markup again gives the same markup.
  if (markup === undefined) {
    markup = markupOf(name);
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

const FIELDS_MARKUP = markupOf('fields');
const FIELD_ERROR_MARKUP = markupOf('field');
const OMITTED_FIELDS_MARKUP = markupOf('omittedFields');
const FIELD_ERROR_MEMBERS = (['pointer', 'path', 'message', 'code'] as const).map((member) => [member, markupOf(member)] as const);

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
