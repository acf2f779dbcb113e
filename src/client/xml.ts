import { SaxesParser } from 'saxes';
import { type Facts, itemLevel, notEnhanced, problem, topLevel } from './shapes';
import type { ParsedResponse } from './types';

/** An XML element reduced to plain values. */
interface XmlElement {
  readonly name: string;
  readonly namespace: string | null;
  readonly children: XmlElement[];
  /** The text of a leaf element, CDATA included (child elements' text is theirs). */
  text: string;
}

/** What the reader refuses beyond well-formedness; thrown from its handlers to stop it. */
class Refused extends Error {}

/**
 * Parses with saxes, a strict XML 1.0 parser with namespaces: a body cut
 * short, tags that do not match, text after the root, an undefined entity and
 * an unbound prefix are refused. So is a DOCTYPE, which an error response
 * never needs: its entities would never be expanded anyway (saxes knows only
 * XML's five).
 */
function readXml(text: string): XmlElement | string {
  if (!/^\s*</.test(text)) return 'The body does not start with markup.';
  const parser = new SaxesParser({ xmlns: true });
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('doctype', () => {
    throw new Refused('The XML has a DOCTYPE, which an error response never needs.');
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.local, namespace: tag.uri === '' ? null : tag.uri, children: [], text: '' };
    const parent = open.at(-1);
    if (parent === undefined) root = element;
    else parent.children.push(element);
    open.push(element);
  });
  const addText = (data: string) => {
    const current = open.at(-1);
    if (current !== undefined) current.text += data;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    open.pop();
  });
  try {
    // White space before the declaration is not well-formed, but harmless.
    parser.write(text.trimStart()).close();
  } catch (failure) {
    if (failure instanceof Refused) return failure.message;
    return `The XML does not parse: ${failure instanceof Error ? failure.message : String(failure)}`;
  }
  return root ?? 'The XML has no root element.';
}

/** A leaf element is its text; any other is an object of its children (repeated names become arrays). */
function plainValue(element: XmlElement): string | Record<string, unknown> {
  return element.children.length === 0 ? element.text : membersOf(element);
}

function membersOf(element: XmlElement): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const child of element.children) {
    const value = plainValue(child);
    const existing = Object.hasOwn(members, child.name) ? members[child.name] : undefined;
    if (Array.isArray(existing)) existing.push(value);
    else define(members, child.name, existing === undefined ? value : [existing, value]);
  }
  return members;
}

/** Defined rather than assigned, so that an element named `__proto__` is a member like any other. */
function define(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

const PROBLEM_NAMESPACE = 'urn:ietf:rfc:7807';

/**
 * `<error>` is a top-level error, `<problem>` RFC 9457 problem details; a root
 * whose children are all `<item>` is an item-level collection named after it,
 * each item's fields its child elements and a failed item's error its `<error>`.
 */
function fromXmlRoot(facts: Facts, root: XmlElement): ParsedResponse {
  if (root.name === 'error') return topLevel(facts, 'xml', membersOf(root));
  if (root.name === 'problem' && (root.namespace === null || root.namespace === PROBLEM_NAMESPACE)) {
    return problem(facts, 'problem+xml', membersOf(root));
  }
  if (root.children.every((child) => child.name === 'item')) {
    return itemLevel(facts, 'xml', root.name, root.children.map(membersOf));
  }
  return notEnhanced(facts, 'unrecognized-shape', `The XML root <${root.name}> is neither <error>, <problem> nor a collection of <item>.`);
}

export function fromXmlText(facts: Facts, text: string): ParsedResponse {
  const root = readXml(text);
  if (typeof root === 'string') return notEnhanced(facts, 'malformed-xml', root);
  return fromXmlRoot(facts, root);
}
