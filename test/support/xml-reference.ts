/**
 * The XML bodies the XML formatter must write, byte for byte, written here by
 * hand from the rules of XML 1.0 and the shape xmlbuilder2 gives a document:
 * independent of src's XML writing, so that a bug there cannot hide in its
 * own reference (only the fields' names and order come from src).
 *
 * - the declaration `<?xml version="1.0" encoding="UTF-8"?>`, no line breaks;
 * - an element with text is `<name>text</name>` (even for empty text), one
 *   without children `<name/>`;
 * - in text: `&` `<` `>` become references, CR becomes `&#xD;` (a parser
 *   would turn a literal CR into LF), quotes stay; a character XML 1.0
 *   cannot carry becomes U+FFFD.
 */

import { ENVELOPE_FIELDS, type EnvelopeFields } from '../../src/core/envelope/fields';
import { isXmlChar } from './xml';

/** The error fields, in the spec's order (their order is part of the format), from the one declaration in src. */
const ERROR_FIELDS = ENVELOPE_FIELDS;

interface ReferenceEnvelope extends Omit<EnvelopeFields, 'action'> {
  readonly action: string;
  /** Written only by a formatter made with `fieldErrors: true`. */
  readonly fields?: readonly { readonly pointer?: string; readonly path?: string; readonly message: string; readonly code?: string }[];
  readonly omittedFields?: number;
}

type ReferenceValue = string | number | boolean | null | readonly ReferenceValue[] | { readonly [field: string]: ReferenceValue };

interface ReferenceItem {
  readonly fields: { readonly [field: string]: ReferenceValue };
  readonly error?: ReferenceEnvelope | undefined;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

function escapeText(text: string): string {
  let out = '';
  // for…of walks code points; a lone surrogate comes out alone, and is not an XML Char.
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    out += isXmlChar(codePoint) ? (ESCAPES[char] ?? char) : '\uFFFD';
  }
  return out;
}

/** Names the formatter accepts: an XML Name without a prefix (ASCII rules, any non-ASCII letter). */
const ELEMENT_NAME = /^[A-Za-z_\u00C0-\uFFFD][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFD]*$/;

function checkedName(name: string): string {
  if (!ELEMENT_NAME.test(name)) throw new TypeError(`${JSON.stringify(name)} is refused`);
  return name;
}

function textElement(name: string, text: string): string {
  return `<${name}>${escapeText(text)}</${name}>`;
}

function parentElement(name: string, children: string): string {
  return children === '' ? `<${name}/>` : `<${name}>${children}</${name}>`;
}

/** With `withFieldErrors`: `<fields><field><pointer/path/message/code…></field>…</fields><omittedFields>n</omittedFields>` after the spec's fields. */
function errorElement(envelope: ReferenceEnvelope, withFieldErrors = false): string {
  let children = '';
  for (const field of ERROR_FIELDS) {
    const value = envelope[field];
    if (value !== undefined) children += textElement(field, String(value));
  }
  if (withFieldErrors && envelope.fields !== undefined) {
    const list = envelope.fields.map((field) => {
      let members = '';
      for (const member of ['pointer', 'path', 'message', 'code'] as const) {
        const value = field[member];
        if (value !== undefined) members += textElement(member, value);
      }
      return parentElement('field', members);
    });
    children += parentElement('fields', list.join(''));
  }
  if (withFieldErrors && envelope.omittedFields !== undefined) children += textElement('omittedFields', String(envelope.omittedFields));
  return parentElement('error', children);
}

function fieldElement(name: string, value: ReferenceValue): string {
  checkedName(name);
  if (value === null) return `<${name}/>`;
  if (Array.isArray(value)) return parentElement(name, value.map((entry: ReferenceValue) => fieldElement('value', entry)).join(''));
  if (typeof value === 'object') {
    return parentElement(
      name,
      Object.entries(value as { [field: string]: ReferenceValue })
        .map(([field, member]) => fieldElement(field, member))
        .join(''),
    );
  }
  return textElement(name, String(value));
}

/** What the reference writes besides the spec's fields. */
export interface ReferenceOptions {
  /** Write `<fields>`/`<omittedFields>` as `createXmlFormatter({ fieldErrors: true })` does. */
  readonly withFieldErrors?: boolean;
}

/** A whole error response: the declaration and `<error>` with one child per present field. */
export function errorDocument(envelope: ReferenceEnvelope, options: ReferenceOptions = {}): string {
  return DECLARATION + errorElement(envelope, options.withFieldErrors);
}

/** A whole item response: `<collection><item>fields…<error>…</error></item>…</collection>`. */
export function itemsDocument(collection: string, items: readonly ReferenceItem[], options: ReferenceOptions = {}): string {
  let children = '';
  for (const { fields, error } of items) {
    let itemChildren = Object.entries(fields)
      .map(([field, value]) => fieldElement(field, value))
      .join('');
    if (error !== undefined) itemChildren += errorElement(error, options.withFieldErrors);
    children += parentElement('item', itemChildren);
  }
  return DECLARATION + parentElement(checkedName(collection), children);
}
