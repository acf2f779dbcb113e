import { STATUS_CODES } from 'node:http';
import { ACTIONS } from '../../src';
import { ENVELOPE_FIELDS } from '../../src/core/formats';
import type { RawResponse } from './http-client';
import { asXmlCarriesIt, parseXml, type XmlElement } from './xml';

export type WireFormat = 'json' | 'xml' | 'problem+json' | 'problem+xml' | 'html' | 'vimond';

type EnvelopeField = (typeof ENVELOPE_FIELDS)[number];

/** The fields of one error body as a client reads them back, under the envelope's names. */
export interface ReadEnvelope {
  format: WireFormat;
  fields: Partial<Record<EnvelopeField, string>>;
  text: string;
}

/** How the JSON of `application/json` is shaped: the spec's envelope, or Vimond's `{"errors": […]}`. */
export type JsonShape = 'envelope' | 'vimond';

const CONTENT_TYPES: Record<string, 'json' | 'xml' | 'problem+json' | 'problem+xml' | 'html'> = {
  'application/json; charset=utf-8': 'json',
  'application/xml; charset=utf-8': 'xml',
  'application/problem+json': 'problem+json',
  'application/problem+xml; charset=utf-8': 'problem+xml',
  'text/html; charset=utf-8': 'html',
};

const PROBLEM_MEMBERS = ['type', 'title', 'status', 'detail', 'code', 'action', 'message', 'helpUrl', 'trace'] as const;
const PROBLEM_XML_NAMESPACE = 'urn:ietf:rfc:7807';
const VIMOND_MEMBERS = ['title', 'detail', 'code'] as const;

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
 * strict parser reads back into exactly its format's members, in order.
 * Returns the fields read (undefined for HEAD, which has no body).
 */
export function readErrorResponse(res: RawResponse, method = 'GET', jsonShape: JsonShape = 'envelope'): ReadEnvelope | undefined {
  if (!Number.isInteger(res.status) || res.status < 400 || res.status > 599) fail(`status ${res.status} is not 4xx/5xx`);
  for (const part of res.rawHeaders) {
    if (/[\r\n\0]/.test(part)) fail(`header part ${JSON.stringify(part)} has CR/LF/NUL`);
  }
  if (res.headers['x-injected'] !== undefined) fail('a header was injected');
  if (res.headers['x-content-type-options'] !== 'nosniff') fail('nosniff missing');
  if (res.headers['cache-control'] !== 'no-store') fail('no-store missing');
  const type = CONTENT_TYPES[res.headers['content-type'] ?? ''];
  if (type === undefined) fail(`unexpected Content-Type ${JSON.stringify(res.headers['content-type'])}`);
  const length = Number(res.headers['content-length']);
  if (method === 'HEAD') {
    if (res.body.length !== 0 || !(length > 0)) fail('HEAD must have Content-Length and no body');
    return undefined;
  }
  if (length !== res.body.length) fail(`Content-Length ${length} but ${res.body.length} bytes`);
  const text = res.body.toString('utf8');
  if (Buffer.byteLength(text) !== res.body.length) fail('body is not valid UTF-8');
  if (type === 'json' && jsonShape === 'vimond') return { format: 'vimond', fields: readVimond(text), text };
  const fields =
    type === 'json' ? readJson(text) : type === 'xml' ? readXml(text) : type === 'html' ? readHtml(text) : readProblem(type, text);
  checkFields(fields, res.status);
  return { format: type, fields, text };
}

/** Members in order, each once, strings but for the numeric `status`. */
function readMembers(entries: [string, unknown][], allowed: readonly string[], numeric: boolean): Record<string, string> {
  const members: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!allowed.includes(name)) fail(`unexpected member ${JSON.stringify(name)}`);
    if (Object.hasOwn(members, name)) fail(`${name} twice`);
    if (numeric && name === 'status') {
      if (typeof value !== 'number') fail('status is not a JSON number');
      members.status = String(value);
    } else {
      if (typeof value !== 'string') fail(`${name} is not a string`);
      members[name] = value;
    }
  }
  const names = entries.map(([name]) => name);
  const expected = allowed.filter((name) => names.includes(name));
  if (names.join() !== expected.join()) fail(`members out of order: ${names.join(', ')}`);
  return members;
}

function jsonObject(text: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('JSON body is not an object');
  return parsed as Record<string, unknown>;
}

function readJson(text: string): ReadEnvelope['fields'] {
  return readMembers(Object.entries(jsonObject(text)), ENVELOPE_FIELDS, true);
}

/**
 * Read with a strict XML 1.0 parser: any character XML cannot carry, any
 * markup beyond flat children of the root, fails.
 */
function readXmlMembers(text: string, rootName: string, rootAttributes: Record<string, string>, allowed: readonly string[]) {
  const { declaration, root } = parseXml(text);
  if (declaration?.version !== '1.0') fail('no XML 1.0 declaration');
  // Text never holds a raw `<`, so `<!` or `<?` after the declaration is injected markup (comment, CDATA, DOCTYPE, PI).
  if (/<[!?]/.test(text.slice(text.indexOf('?>') + 2))) fail('comment, CDATA, DOCTYPE or processing instruction in the body');
  if (root.name !== rootName) fail(`root element <${root.name}>`);
  if (JSON.stringify(root.attributes) !== JSON.stringify(rootAttributes)) fail(`attributes on <${root.name}>`);
  if (root.text !== '') fail(`text outside a field: ${JSON.stringify(root.text.slice(0, 40))}`);
  for (const child of root.children) {
    if (Object.keys(child.attributes).length > 0) fail(`attributes on <${child.name}>`);
    if (child.children.length > 0) fail(`nested element in <${child.name}>`);
  }
  return readMembers(
    root.children.map((child) => [child.name, child.text]),
    allowed,
    false,
  );
}

function readXml(text: string): ReadEnvelope['fields'] {
  return readXmlMembers(text, 'error', {}, ENVELOPE_FIELDS);
}

/** RFC 9457 problem details, read back under the envelope's names. */
function readProblem(type: 'problem+json' | 'problem+xml', text: string): ReadEnvelope['fields'] {
  const members =
    type === 'problem+json'
      ? readMembers(Object.entries(jsonObject(text)), PROBLEM_MEMBERS, true)
      : readXmlMembers(text, 'problem', { xmlns: PROBLEM_XML_NAMESPACE }, PROBLEM_MEMBERS);
  const { type: problemType, title, status, detail, code, action, message, helpUrl, trace } = members;
  if (problemType === 'about:blank') {
    // RFC 9457 §4.2.1: the status phrase as title; the message in its own member.
    if (helpUrl !== undefined || message === undefined) fail('about:blank with a helpUrl or without a message');
    if (title !== (STATUS_CODES[Number(status)] ?? message)) fail(`about:blank titled ${JSON.stringify(title)}`);
  } else {
    // One type per code: the help page with the code as fragment.
    if (message !== undefined) fail('a message member beside a typed problem');
    if (helpUrl === undefined || problemType !== `${helpUrl.replace(/#.*$/s, '')}#${code}`)
      fail(`problem type ${JSON.stringify(problemType)}`);
  }
  return {
    action,
    status,
    code,
    message: message ?? title,
    details: detail,
    helpUrl,
    trace,
  };
}

/**
 * The HTML error page: well-formed (a strict XML parser reads it), no
 * script, each field once in an element marked `data-field` (helpUrl in
 * the link's href), in the envelope's order but the message first.
 */
function readHtml(text: string): ReadEnvelope['fields'] {
  const { root } = parseXml(text);
  if (root.name !== 'html') fail(`root element <${root.name}>`);
  const entries: [string, unknown][] = [];
  const visit = (element: XmlElement): void => {
    if (element.name === 'script' || Object.keys(element.attributes).some((name) => name.startsWith('on'))) fail('script in the page');
    const field = element.attributes['data-field'];
    if (field !== undefined) entries.push([field, field === 'helpUrl' ? element.attributes.href : element.text]);
    element.children.forEach(visit);
  };
  visit(root);
  return readMembers(entries, HTML_FIELDS, false);
}

const HTML_FIELDS = ['message', 'details', 'code', 'status', 'action', 'trace', 'helpUrl'] as const;

/** Vimond's `{"errors":[{"title","detail","code"}]}`; the first entry's detail is the message. */
function readVimond(text: string): ReadEnvelope['fields'] {
  const { errors, ...rest } = jsonObject(text);
  if (Object.keys(rest).length > 0 || !Array.isArray(errors) || errors.length === 0) fail('not a Vimond errors object');
  const entries = errors.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) fail('Vimond entry is not an object');
    const { title, detail, code } = readMembers(Object.entries(entry), VIMOND_MEMBERS, false);
    if (!/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(title ?? '') || !detail || !/^\d+$/.test(code ?? ''))
      fail(`Vimond entry ${JSON.stringify(entry)}`);
    return detail;
  });
  return { message: entries[0] };
}

function checkFields(fields: ReadEnvelope['fields'], status: number): void {
  if (!(ACTIONS as readonly string[]).includes(fields.action ?? '')) fail(`action ${JSON.stringify(fields.action)}`);
  if (fields.status !== String(status)) fail(`body status ${fields.status} differs from HTTP ${status}`);
  if (!(status >= 400 && status <= 599)) fail(`error status ${status} is not 4xx/5xx`);
  if (!SNAKE_CASE.test(fields.code ?? '') || (fields.code ?? '').length > 128) fail(`code ${JSON.stringify(fields.code)}`);
  if (!fields.message) fail('message missing or empty');
  if (!SAFE_ID.test(fields.trace ?? '')) fail(`trace ${JSON.stringify(fields.trace)}`);
}

export function isSafeRequestId(value: unknown): boolean {
  return typeof value === 'string' && SAFE_ID.test(value);
}

/** The text as a format can carry it: JSON carries everything, XML (and the HTML page) swaps what it cannot for U+FFFD. */
export function carried(text: string, format: WireFormat): string {
  return format === 'xml' || format === 'problem+xml' || format === 'html' ? asXmlCarriesIt(text) : text;
}

/**
 * A free-text field read back from the wire: the sent text exactly when it
 * fits `max`; otherwise at most `max` code units, ending with `…`, after the
 * longest prefix that fits without splitting a surrogate pair.
 */
export function expectCarriedText(read: string | undefined, sent: string, max: number, format: WireFormat): void {
  const expected = carried(sent, format);
  if (sent.length <= max) {
    if (read !== expected)
      fail(`text changed on the wire: ${JSON.stringify(read?.slice(0, 80))} for ${JSON.stringify(expected.slice(0, 80))}`);
    return;
  }
  if (read === undefined || read.length > max || !read.endsWith('…'))
    fail(`text of ${sent.length} units not cut to ${max}: ${read?.length}`);
  const kept = read.slice(0, -1);
  if (!expected.startsWith(kept) || kept.length < max - 2) fail(`cut text is not the longest prefix (${kept.length} of ${max})`);
}

/** One item of a partial-success response: its id, and its error's fields when it failed. */
export interface ReadItem {
  id: string;
  error?: ReadEnvelope['fields'];
}

/**
 * A `200 OK` partial-success response: `{"<collection>": [item, …]}` or
 * `<collection><item>…</item></collection>`, each item its `id` then, when it
 * failed, an `error` with the envelope's fields in order.
 */
export function readItemsResponse(res: RawResponse, collection: string): { format: 'json' | 'xml'; items: ReadItem[]; text: string } {
  if (res.status !== 200) fail(`status ${res.status}, not 200`);
  if (res.headers['x-content-type-options'] !== 'nosniff') fail('nosniff missing');
  if (res.headers['cache-control'] !== 'no-store') fail('no-store missing');
  const type = CONTENT_TYPES[res.headers['content-type'] ?? ''];
  if (type !== 'json' && type !== 'xml') fail(`unexpected Content-Type ${JSON.stringify(res.headers['content-type'])}`);
  if (Number(res.headers['content-length']) !== res.body.length) fail('Content-Length differs from the body');
  const text = res.body.toString('utf8');
  const items = type === 'json' ? readJsonItems(text, collection) : readXmlItems(text, collection);
  for (const item of items) if (item.error !== undefined) checkFields(item.error, Number(item.error.status));
  return { format: type, items, text };
}

function readJsonItems(text: string, collection: string): ReadItem[] {
  const { [collection]: list, ...rest } = jsonObject(text);
  if (Object.keys(rest).length > 0 || !Array.isArray(list)) fail(`not {"${collection}": […]}`);
  return list.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) fail('item is not an object');
    const { id, error, ...others } = item as Record<string, unknown>;
    if (Object.keys(others).length > 0 || typeof id !== 'number') fail(`item ${JSON.stringify(item).slice(0, 80)}`);
    if (error === undefined) return { id: String(id) };
    if (typeof error !== 'object' || error === null) fail('item error is not an object');
    return { id: String(id), error: readMembers(Object.entries(error), ENVELOPE_FIELDS, true) };
  });
}

function readXmlItems(text: string, collection: string): ReadItem[] {
  const { declaration, root } = parseXml(text);
  if (declaration?.version !== '1.0') fail('no XML 1.0 declaration');
  if (/<[!?]/.test(text.slice(text.indexOf('?>') + 2))) fail('comment, CDATA, DOCTYPE or processing instruction in the body');
  if (root.name !== collection || root.text !== '') fail(`root element <${root.name}>`);
  return root.children.map((item) => {
    const [id, error, ...others] = item.children;
    if (item.name !== 'item' || item.text !== '' || id?.name !== 'id' || others.length > 0) fail(`<${item.name}> is not an item`);
    if (error === undefined) return { id: id.text };
    if (error.name !== 'error' || error.text !== '' || error.children.some((child) => child.children.length > 0))
      fail('item error is not flat');
    return {
      id: id.text,
      error: readMembers(
        error.children.map((child) => [child.name, child.text]),
        ENVELOPE_FIELDS,
        false,
      ),
    };
  });
}
