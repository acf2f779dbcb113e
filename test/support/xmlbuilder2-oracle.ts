/**
 * The XML the formats wrote with xmlbuilder2 4, kept as the oracle of
 * src/core/formats/xml-writer.ts: a DOM per document, texts carried through
 * the builder as the formats carried them (toXmlText), the serialization
 * finished by finishXml. Only the tests load xmlbuilder2.
 */
import { create, fragment } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { ENVELOPE_FIELDS, type Envelope } from '../../src/core/envelope/envelope';
import type { FormattedItem, ItemValue } from '../../src/core/formats/formatter';
import { PROBLEM_XML_NAMESPACE, toProblemDetails, type ProblemOptions } from '../../src/core/formats/problem';
import { withoutNonXmlChars } from '../../src/core/formats/xml-writer';

/**
 * A parser turns a literal CR into LF, so CR must travel as `&#xD;`; the
 * builder escapes `&` and would spoil a reference written into the text, so
 * CR travels through it as U+FFFF (never left in the text by
 * withoutNonXmlChars) and is swapped for the reference afterwards.
 */
const CR_PLACEHOLDER = '\uFFFF';

/**
 * xmlbuilder2 leaves an `&` that starts `&name;` or `&#NN;` unescaped, taking
 * it for a reference, so every `&` travels as U+FFFE and becomes `&amp;`.
 */
const AMP_PLACEHOLDER = '\uFFFE';

export function toXmlText(value: string): string {
  return withoutNonXmlChars(value).replace(/\r/g, CR_PLACEHOLDER).replace(/&/g, AMP_PLACEHOLDER);
}

export function finishXml(serialized: string): string {
  return serialized.replaceAll(CR_PLACEHOLDER, '&#xD;').replaceAll(AMP_PLACEHOLDER, '&amp;');
}

/** A text as xmlbuilder2 serializes it in an element. */
export function oracleText(value: string): string {
  return finishXml(fragment().txt(toXmlText(value)).end());
}

/** The formats' own refusal (empty, prefixed), then xmlbuilder2's. */
function namedElement(parent: XMLBuilder, name: string): XMLBuilder {
  if (name.length === 0 || name.includes(':')) throw new TypeError('empty or prefixed name');
  return parent.ele(name);
}

/** `<name>`, `</name>` and `<name/>` as xmlbuilder2 writes them; throws where it refuses the name. */
export function oracleMarkup(name: string): { open: string; close: string; empty: string } {
  const marker = '\u0001';
  const around = namedElement(fragment(), name).txt(marker).end();
  const at = around.indexOf(marker);
  return { open: around.slice(0, at), close: around.slice(at + marker.length), empty: namedElement(fragment(), name).end() };
}

const newDocument = () => create({ version: '1.0', encoding: 'UTF-8' });
const finish = (doc: XMLBuilder) => finishXml(doc.end({ prettyPrint: false }));

function addText(parent: XMLBuilder, name: string, value: string): void {
  namedElement(parent, name).txt(toXmlText(value));
}

function addEnvelope(parent: XMLBuilder, envelope: Envelope, fieldErrors: boolean): void {
  const error = parent.ele('error');
  for (const field of ENVELOPE_FIELDS) {
    const value = envelope[field];
    if (value !== undefined) addText(error, field, String(value));
  }
  if (!fieldErrors) return;
  if (envelope.fields !== undefined) {
    const list = error.ele('fields');
    for (const field of envelope.fields) {
      const entry = list.ele('field');
      for (const member of ['pointer', 'path', 'message', 'code'] as const) {
        const value = field[member];
        if (value !== undefined) addText(entry, member, value);
      }
    }
  }
  if (envelope.omittedFields !== undefined) addText(error, 'omittedFields', String(envelope.omittedFields));
}

/** The spec's `<error>` document. */
export function oracleErrorDocument(envelope: Envelope, fieldErrors = false): string {
  const doc = newDocument();
  addEnvelope(doc, envelope, fieldErrors);
  return finish(doc);
}

function addField(parent: XMLBuilder, name: string, value: ItemValue): void {
  const element = namedElement(parent, name);
  if (value === null) return;
  if (Array.isArray(value)) {
    for (const entry of value as readonly ItemValue[]) addField(element, 'value', entry);
  } else if (typeof value === 'object') {
    for (const [field, member] of Object.entries(value)) addField(element, field, member);
  } else {
    element.txt(toXmlText(String(value)));
  }
}

/** `<collection><item>fields…<error>…</error></item>…</collection>`. */
export function oracleItemsDocument(collection: string, items: readonly FormattedItem[], fieldErrors = false): string {
  const doc = newDocument();
  const root = namedElement(doc, collection);
  for (const { fields, error } of items) {
    const item = root.ele('item');
    for (const [field, value] of Object.entries(fields)) addField(item, field, value);
    if (error !== undefined) addEnvelope(item, error, fieldErrors);
  }
  return finish(doc);
}

/** `<problem xmlns="urn:ietf:rfc:7807">`, one child per member, `errors` one `<i>` per entry. */
export function oracleProblemDocument(envelope: Envelope, options: ProblemOptions = {}): string {
  const doc = newDocument();
  const problem = doc.ele(PROBLEM_XML_NAMESPACE, 'problem');
  for (const [member, value] of Object.entries(toProblemDetails(envelope, options))) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const list = problem.ele(member);
      for (const entry of value as readonly Record<string, string | undefined>[]) {
        const item = list.ele('i');
        for (const [name, text] of Object.entries(entry)) if (text !== undefined) addText(item, name, text);
      }
    } else {
      addText(problem, member, String(value));
    }
  }
  return finish(doc);
}
