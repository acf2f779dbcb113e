import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, entities and references resolved. */
  text: string;
}

/**
 * Parses with saxes, a conformant XML 1.0 parser: any well-formedness error
 * (a disallowed character, `]]>` in text, a bad reference) throws.
 */
export function parseXml(xml: string): { declaration: { version?: string; encoding?: string } | undefined; root: XmlElement } {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let declaration: { version?: string; encoding?: string } | undefined;
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('xmldecl', (decl) => {
    declaration = { version: decl.version, encoding: decl.encoding };
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack[stack.length - 1];
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
