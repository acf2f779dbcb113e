import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { Envelope, FormattedItem, ItemValue } from '../../src';
import { ENVELOPE_FIELDS } from '../../src/envelope/envelope';
import { finishXml, newXmlDocument, toXmlText } from '../../src/formats/xml';

/**
 * The XML bodies as an xmlbuilder2 document built for each response gives
 * them: what the XML formatter must write byte for byte, however it gets there.
 */
export function errorDocument(envelope: Envelope): string {
  const doc = newXmlDocument();
  appendErrorElement(doc, envelope);
  return finishXml(doc.end({ prettyPrint: false }));
}

export function itemsDocument(collection: string, items: readonly FormattedItem[]): string {
  const doc = newXmlDocument();
  const root = named(doc, collection);
  for (const { fields, error } of items) {
    const item = root.ele('item');
    for (const [field, value] of Object.entries(fields)) appendField(item, field, value);
    if (error !== undefined) appendErrorElement(item, error);
  }
  return finishXml(doc.end({ prettyPrint: false }));
}

function named(parent: XMLBuilder, name: string): XMLBuilder {
  if (name.length === 0 || name.includes(':')) throw new TypeError(`${JSON.stringify(name)} is refused`);
  return parent.ele(name);
}

function appendField(parent: XMLBuilder, name: string, value: ItemValue): void {
  const element = named(parent, name);
  if (value === null) return;
  if (Array.isArray(value)) {
    for (const entry of value as readonly ItemValue[]) appendField(element, 'value', entry);
  } else if (typeof value === 'object') {
    for (const [field, member] of Object.entries(value)) appendField(element, field, member);
  } else {
    element.txt(toXmlText(String(value)));
  }
}

/** Appends `<error>` with one child element per present field, in the spec's order. */
function appendErrorElement(parent: XMLBuilder, envelope: Envelope): void {
  const element = parent.ele('error');
  for (const field of ENVELOPE_FIELDS) {
    const value = envelope[field];
    if (value !== undefined) element.ele(field).txt(toXmlText(String(value)));
  }
}
