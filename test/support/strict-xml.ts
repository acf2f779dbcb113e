import { SaxesParser } from 'saxes';

/** One element as a strict XML 1.0 parser reads it: its name, its decoded text and its child elements. */
export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

/**
 * Parses with saxes, which rejects anything not well-formed: characters XML
 * cannot carry, undefined entities, stray `&` or `<`. Throws on the first error.
 */
export function parseStrictXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, text: '', children: [] };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current !== undefined) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (failure !== undefined) throw failure;
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** The `<error>` envelope's fields as a plain object, in document order. */
export function errorFields(xml: string): Record<string, string> {
  const root = parseStrictXml(xml);
  if (root.name !== 'error') throw new Error(`root element is <${root.name}>, not <error>`);
  return Object.fromEntries(root.children.map((child) => [child.name, child.text]));
}

/** What a string reads as once carried by XML: every character outside XML 1.0's Char production becomes U+FFFD. */
export function asXmlCarriesIt(value: string): string {
  let result = '';
  for (const char of value) {
    const point = char.codePointAt(0) ?? 0;
    const allowed =
      point === 0x9 ||
      point === 0xa ||
      point === 0xd ||
      (point >= 0x20 && point <= 0xd7ff) ||
      (point >= 0xe000 && point <= 0xfffd) ||
      point >= 0x10000;
    result += allowed ? char : '\uFFFD';
  }
  return result;
}
