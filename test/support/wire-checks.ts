import { ACTIONS, ENVELOPE_FIELDS } from '../../src';
import type { RawResponse } from './http-client';
import { parseXml } from './xml';

export type WireFormat = 'json' | 'xml';

/** The fields of one error body as a client reads them back. */
export interface ReadEnvelope {
  format: WireFormat;
  fields: Partial<Record<(typeof ENVELOPE_FIELDS)[number], string>>;
  text: string;
}

const CONTENT_TYPES: Record<string, WireFormat> = {
  'application/json; charset=utf-8': 'json',
  'application/xml; charset=utf-8': 'xml',
};

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

class WireError extends Error {}

function fail(message: string): never {
  throw new WireError(message);
}

/**
 * A plain assertion for the generated cases: jest's `expect` builds an error
 * for every call, which thousands of cases cannot afford.
 */
export function must(condition: boolean, message: () => string): asserts condition {
  if (!condition) fail(message());
}

/**
 * Everything every error response must be, whatever caused it: a 4xx/5xx,
 * headers that were not split, a complete body of the announced type that a
 * strict parser reads back into exactly the envelope's fields. Returns the
 * fields read (undefined for HEAD, which has no body).
 */
export function readErrorResponse(res: RawResponse, method = 'GET'): ReadEnvelope | undefined {
  if (!Number.isInteger(res.status) || res.status < 400 || res.status > 599) fail(`status ${res.status} is not 4xx/5xx`);
  for (const part of res.rawHeaders) {
    if (/[\r\n\0]/.test(part)) fail(`header part ${JSON.stringify(part)} has CR/LF/NUL`);
  }
  if (res.headers['x-injected'] !== undefined) fail('a header was injected');
  if (res.headers['x-content-type-options'] !== 'nosniff') fail('nosniff missing');
  if (res.headers['cache-control'] !== 'no-store') fail('no-store missing');
  const format = CONTENT_TYPES[res.headers['content-type'] ?? ''];
  if (format === undefined) fail(`unexpected Content-Type ${JSON.stringify(res.headers['content-type'])}`);
  const length = Number(res.headers['content-length']);
  if (method === 'HEAD') {
    if (res.body.length !== 0 || !(length > 0)) fail('HEAD must have Content-Length and no body');
    return undefined;
  }
  if (length !== res.body.length) fail(`Content-Length ${length} but ${res.body.length} bytes`);
  const text = res.body.toString('utf8');
  if (Buffer.byteLength(text) !== res.body.length) fail('body is not valid UTF-8');
  const fields = format === 'json' ? readJson(text) : readXml(text);
  checkFields(fields, res.status);
  return { format, fields, text };
}

function readJson(text: string): ReadEnvelope['fields'] {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('JSON body is not an object');
  const fields: ReadEnvelope['fields'] = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!isField(key)) fail(`unexpected JSON field ${JSON.stringify(key)}`);
    if (key === 'status') {
      if (typeof value !== 'number') fail('status is not a JSON number');
      fields.status = String(value);
    } else {
      if (typeof value !== 'string') fail(`${key} is not a JSON string`);
      fields[key] = value;
    }
  }
  checkOrder(Object.keys(parsed));
  return fields;
}

/**
 * Read with a strict XML 1.0 parser: any character XML cannot carry, any
 * markup beyond flat `<error>` children, fails.
 */
function readXml(text: string): ReadEnvelope['fields'] {
  const { declaration, root } = parseXml(text);
  if (declaration?.version !== '1.0') fail('no XML 1.0 declaration');
  // Text never holds a raw `<`, so `<!` or `<?` after the declaration is injected markup (comment, CDATA, DOCTYPE, PI).
  if (/<[!?]/.test(text.slice(text.indexOf('?>') + 2))) fail('comment, CDATA, DOCTYPE or processing instruction in the body');
  if (root.name !== 'error') fail(`root element <${root.name}>`);
  if (root.text !== '') fail(`text outside a field: ${JSON.stringify(root.text.slice(0, 40))}`);
  const fields: ReadEnvelope['fields'] = {};
  for (const child of [root, ...root.children]) {
    if (Object.keys(child.attributes).length > 0) fail(`attributes on <${child.name}>`);
  }
  for (const child of root.children) {
    if (!isField(child.name)) fail(`unexpected element <${child.name}>`);
    if (child.children.length > 0) fail(`nested element in <${child.name}>`);
    if (fields[child.name] !== undefined) fail(`<${child.name}> twice`);
    fields[child.name] = child.text;
  }
  checkOrder(root.children.map((child) => child.name));
  return fields;
}

function isField(name: string): name is (typeof ENVELOPE_FIELDS)[number] {
  return (ENVELOPE_FIELDS as readonly string[]).includes(name);
}

function checkOrder(names: string[]): void {
  const expected = ENVELOPE_FIELDS.filter((field) => names.includes(field));
  if (names.join() !== expected.join()) fail(`fields out of the spec's order: ${names.join(', ')}`);
}

function checkFields(fields: ReadEnvelope['fields'], status: number): void {
  if (!(ACTIONS as readonly string[]).includes(fields.action ?? '')) fail(`action ${JSON.stringify(fields.action)}`);
  if (fields.status !== String(status)) fail(`body status ${fields.status} differs from HTTP ${status}`);
  if (!SNAKE_CASE.test(fields.code ?? '') || (fields.code ?? '').length > 128) fail(`code ${JSON.stringify(fields.code)}`);
  if (!fields.message) fail('message missing or empty');
  if (!SAFE_ID.test(fields.trace ?? '')) fail(`trace ${JSON.stringify(fields.trace)}`);
}

export function isSafeRequestId(value: unknown): boolean {
  return typeof value === 'string' && SAFE_ID.test(value);
}

/** The XML 1.0 Char production: what an XML document can carry at all. */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** The text as a format can carry it: JSON carries everything, XML swaps what it cannot for U+FFFD. */
export function carried(text: string, format: WireFormat): string {
  if (format === 'json') return text;
  let out = '';
  for (const char of text) out += isXmlChar(char.codePointAt(0) as number) ? char : '\uFFFD';
  return out;
}

/**
 * A free-text field read back from the wire: the sent text exactly when it
 * fits `max`; otherwise at most `max` code units, ending with `…`, after the
 * longest prefix that fits without splitting a surrogate pair.
 */
export function expectCarriedText(read: string | undefined, sent: string, max: number, format: WireFormat): void {
  const expected = carried(sent, format);
  if (sent.length <= max) {
    if (read !== expected) fail(`text changed on the wire: ${JSON.stringify(read?.slice(0, 80))} for ${JSON.stringify(expected.slice(0, 80))}`);
    return;
  }
  if (read === undefined || read.length > max || !read.endsWith('…')) fail(`text of ${sent.length} units not cut to ${max}: ${read?.length}`);
  const kept = read.slice(0, -1);
  if (!expected.startsWith(kept) || kept.length < max - 2) fail(`cut text is not the longest prefix (${kept.length} of ${max})`);
}
