import { create } from 'xmlbuilder2';
import { type Facts, itemLevel, notEnhanced, problem, topLevel } from './shapes';
import type { ParsedResponse } from './types';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** The DOM members read here; xmlbuilder2's nodes have them. */
interface XmlNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly localName?: string | null;
  readonly namespaceURI?: string | null;
  readonly data?: string;
  readonly childNodes: ArrayLike<XmlNode>;
}

/** An XML element reduced to plain values. */
interface XmlElement {
  readonly name: string;
  readonly namespace: string | null;
  readonly children: readonly XmlElement[];
  /** The text of a leaf element (child elements' text is theirs). */
  readonly text: string;
}

/** Comments, processing instructions and white space may follow the root element. */
const TRAILING_MISC = /(?:\s+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*$/;

/**
 * Parses with xmlbuilder2, whose reader accepts what it can: it does not check
 * that closing tags match, so a body cut short would still give elements.
 * A complete document ends with the root's closing tag (or is one empty
 * element), which is checked here so that a truncated body is refused.
 */
function readXml(text: string): XmlElement | string {
  if (!/^\s*</.test(text)) return 'The body does not start with markup.';
  let root: XmlNode;
  try {
    root = create(text).root().node as unknown as XmlNode;
  } catch (failure) {
    return `The XML does not parse: ${failure instanceof Error ? failure.message : String(failure)}`;
  }
  if (root.nodeType !== ELEMENT_NODE) return 'The XML has no root element.';
  const tail = text.replace(TRAILING_MISC, '');
  const closing = new RegExp(`(?:</${escapeRegExp(root.nodeName)}\\s*>|/>)$`);
  if (!closing.test(tail) || (tail.endsWith('/>') && root.childNodes.length > 0)) {
    return `The XML ends before its <${root.nodeName}> element is closed.`;
  }
  return toElement(root);
}

function toElement(node: XmlNode): XmlElement {
  const nodes = Array.from(node.childNodes);
  const text = nodes
    .filter((child) => child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE)
    .map((child) => child.data ?? '')
    .join('');
  return {
    name: node.localName ?? node.nodeName,
    namespace: node.namespaceURI ?? null,
    children: nodes.filter((child) => child.nodeType === ELEMENT_NODE).map(toElement),
    text,
  };
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

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function fromXmlText(facts: Facts, text: string): ParsedResponse {
  const root = readXml(text);
  if (typeof root === 'string') return notEnhanced(facts, 'malformed-xml', root);
  return fromXmlRoot(facts, root);
}
