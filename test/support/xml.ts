import { SaxesParser } from 'saxes';

/**
 * The one way the tests read XML: saxes, a conformant XML 1.0 parser with
 * namespaces, that throws on the first well-formedness error (a character
 * XML 1.0 cannot carry, `]]>` in text, an undefined entity, a stray `&` or
 * `<`, an unbound prefix). Every other view below is built on its tree.
 */

/** One element as the parser reads it. */
export interface XmlElement {
  /** The name as written, prefix included. */
  name: string;
  /** The namespace the name is in; '' for none. */
  namespace: string;
  /** Attribute values by name as written (`xmlns` declarations included), references resolved. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, entities and references resolved. */
  text: string;
}

export interface XmlDocument {
  declaration: { version?: string; encoding?: string } | undefined;
  root: XmlElement;
}

/** Parses a whole document strictly; XML 1.0 rules whatever version the declaration names. */
export function parseXml(xml: string): XmlDocument {
  const parser = new SaxesParser({ xmlns: true, defaultXMLVersion: '1.0', forceXMLVersion: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let declaration: XmlDocument['declaration'];
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('xmldecl', (decl) => {
    declaration = { version: decl.version, encoding: decl.encoding };
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.name] = attribute.value;
    const element: XmlElement = { name: tag.name, namespace: tag.uri, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (failure) throw failure;
  if (!root) throw new Error('no root element');
  return { declaration, root };
}

/** The children of an element as [name, text] pairs, in document order. */
export function fields(element: XmlElement): [string, string][] {
  return element.children.map((child) => [child.name, child.text]);
}

/** The `<error>` envelope's fields as a plain object, in document order. */
export function errorFields(xml: string): Record<string, string> {
  const { root } = parseXml(xml);
  if (root.name !== 'error') throw new Error(`root element is <${root.name}>, not <error>`);
  return Object.fromEntries(fields(root));
}

/** A value of {@link xmlObject}: an element's text, or its children by name. */
export type XmlObject = string | { [name: string]: XmlObject | XmlObject[] };

/**
 * A document as nested objects, the way a client maps XML to JSON: `{root: …}`;
 * an element without children is its text ('' when empty), one with children
 * an object of them by name; a name repeated among siblings, or listed in
 * `arrays`, holds an array. Element text beside children is refused.
 */
export function xmlObject(xml: string, options: { arrays?: readonly string[] } = {}): any {
  const arrays = new Set(options.arrays ?? []);
  const toObject = (element: XmlElement): XmlObject => {
    if (element.children.length === 0) return element.text;
    if (element.text.trim() !== '') throw new Error(`<${element.name}> mixes text and elements`);
    const object: { [name: string]: XmlObject | XmlObject[] } = {};
    for (const child of element.children) {
      const value = toObject(child);
      const previous = object[child.name];
      if (previous === undefined) object[child.name] = arrays.has(child.name) ? [value] : value;
      else if (Array.isArray(previous)) previous.push(value);
      else object[child.name] = [previous, value];
    }
    return object;
  };
  const { root } = parseXml(xml);
  return { [root.name]: toObject(root) };
}

/** XML 1.0's Char production: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** What a string reads as once carried by XML: every character outside XML 1.0's Char production becomes U+FFFD. */
export function asXmlCarriesIt(value: string): string {
  let result = '';
  // for…of walks code points; a lone surrogate comes out alone, and is not an XML Char.
  for (const char of value) result += isXmlChar(char.codePointAt(0) ?? 0) ? char : '\uFFFD';
  return result;
}
