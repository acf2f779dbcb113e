import request from 'supertest';
import type { Envelope, FormattedItem, ItemValue } from '../../../src';
import { passRegistry } from '../../../src';
import { createJsonFormatter, createXmlFormatter, xmlFormatter } from '../../../src/core/formats';
import { appWith, express5Only } from '../../support/apps';
import { itemsAppWith, SPEC_HELP_URL } from '../../support/item-apps';
import { asXmlCarriesIt, errorFields, parseXml } from '../../support/xml';
import { errorDocument as documentPerResponse, itemsDocument } from '../../support/xml-reference';

/** Texts that must reach an XML client exactly (or as U+FFFD where XML 1.0 has no such character). */
const TRICKY_TEXTS: readonly [string, string][] = [
  ['entity-like text stays text', 'Tom &amp; Jerry &lt;3'],
  ['character and unknown references stay text', '&#65; &#x41; &nbsp; &unknown; & alone'],
  ['markup stays text', '<b>bold</b> ]]> </error><error>'],
  ['CR survives, alone and in CRLF', 'one\r\ntwo\rthree\n'],
  ['tabs and quotes', 'tab\there "double" \'single\''],
  ['controls XML cannot carry', 'nul\u0000 bell\u0007 vt\u000B ff\u000C us\u001F del\u007F'],
  ['lone surrogates and noncharacters', 'high\uD800 low\uDC00 pair😀 nonchars\uFFFE\uFFFF'],
  ['non-Latin scripts', '잘못된 요청입니다 — requête invalide'],
  ['empty', ''],
];

describe.each(express5Only)('%s: XML bodies over HTTP', (_name, express) => {
  const app = appWith(
    express,
    {
      '/details/:index': (req) => {
        const [, text] = TRICKY_TEXTS[Number(req.params.index)] ?? [];
        throw passRegistry.create('bad_request', { details: text });
      },
      '/message/:index': (req) => {
        const [, text] = TRICKY_TEXTS[Number(req.params.index)] ?? [];
        throw passRegistry.create('bad_request', { message: text || 'empty' });
      },
      '/help': () => {
        throw passRegistry.create('too_many_requests', { helpUrl: 'https://example.com/errors?code=too_many_requests&lang=fr' });
      },
    },
    { generateTrace: () => 'trace-1' },
  );

  async function xmlBody(path: string, status: number): Promise<string> {
    const res = await request(app).get(path).set('Accept', 'application/xml').buffer(true).expect(status);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(Buffer.byteLength(res.text)).toBe(Number(res.headers['content-length']));
    return res.text;
  }

  it.each(TRICKY_TEXTS.map(([label, text], index) => [label, text, index] as const))('details: %s', async (_label, text, index) => {
    const body = await xmlBody(`/details/${index}`, 400);
    const entry = passRegistry.get('bad_request');
    expect(errorFields(body)).toEqual({
      action: 'none',
      status: '400',
      code: 'bad_request',
      message: entry.message,
      details: asXmlCarriesIt(text),
      helpUrl: SPEC_HELP_URL,
      trace: 'trace-1',
    });
    expect(body).toBe(
      documentPerResponse({
        action: 'none',
        status: 400,
        code: 'bad_request',
        message: entry.message,
        details: text,
        helpUrl: SPEC_HELP_URL,
        trace: 'trace-1',
      }),
    );
  });

  it.each(
    TRICKY_TEXTS.filter(([, text]) => text !== '').map(
      ([label, text]) => [label, text, TRICKY_TEXTS.findIndex(([, t]) => t === text)] as const,
    ),
  )('message: %s', async (_label, text, index) => {
    // Twice: the second response may come from the formatter's cache and must be the same.
    const first = await xmlBody(`/message/${index}`, 400);
    const second = await xmlBody(`/message/${index}`, 400);
    expect(second).toBe(first);
    expect(errorFields(first).message).toBe(asXmlCarriesIt(text));
  });

  it('a helpUrl with a query string keeps its &', async () => {
    const body = await xmlBody('/help', 429);
    expect(body).toContain('<helpUrl>https://example.com/errors?code=too_many_requests&amp;lang=fr</helpUrl>');
    expect(errorFields(body).helpUrl).toBe('https://example.com/errors?code=too_many_requests&lang=fr');
  });
});

/** A small deterministic generator, so that a failure names a case that can be run again. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  '_',
  '-',
  '&',
  '&amp;',
  '&#65;',
  '&#xD;',
  '&#13;',
  '&lt;',
  '<',
  '>',
  ']]>',
  '"',
  "'",
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0008',
  '\u001F',
  '\u007F',
  '\u0085',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '😀',
  '\uFFFD',
  '\uFFFE',
  '\uFFFF',
  'é',
  '한',
  'CONTENT',
  '<error>',
  '</message>',
];

describe('xmlFormatter.formatError on generated texts', () => {
  const random = mulberry32(0x5eed);
  const text = () => Array.from({ length: Math.floor(random() * 12) }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
  const envelopes: Envelope[] = Array.from({ length: 2000 }, (_, index) => ({
    action: 'retry-after',
    status: 429,
    code: 'too_many_requests',
    message: text(),
    details: index % 3 === 0 ? undefined : text(),
    helpUrl: index % 5 === 0 ? `https://example.com/errors?a=1&b=${index}` : undefined,
    trace: `trace-${index}`,
  }));

  it('reads back exactly through a strict parser, and is what a document per response would be', () => {
    const wrong: { envelope: Envelope; body: string; problem: string }[] = [];
    for (const envelope of envelopes) {
      const body = xmlFormatter.formatError(envelope);
      const expected: Record<string, string> = {};
      for (const [field, value] of Object.entries(envelope)) {
        if (value !== undefined) expected[field] = asXmlCarriesIt(String(value));
      }
      let fields: Record<string, string> | string;
      try {
        fields = errorFields(body);
      } catch (error) {
        fields = String(error);
      }
      if (JSON.stringify(fields) !== JSON.stringify(expected))
        wrong.push({ envelope, body, problem: `read back as ${JSON.stringify(fields)}` });
      else if (body !== documentPerResponse(envelope)) wrong.push({ envelope, body, problem: 'differs from a document per response' });
      else if (xmlFormatter.formatError(envelope) !== body) wrong.push({ envelope, body, problem: 'differs the second time' });
    }
    expect(wrong.slice(0, 3)).toEqual([]);
  });
});

describe('xmlFormatter.formatItems on generated items', () => {
  const random = mulberry32(0x17e45);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const text = () => Array.from({ length: Math.floor(random() * 6) }, () => pick(PIECES)).join('');
  const NAMES = ['id', 'authorized', 'resource', 'value', 'item', 'error', 'a.b', '_x', 'x-y', 'é', '資源', 'CONTENT', 'message'];
  function value(depth: number): ItemValue {
    switch (Math.floor(random() * (depth > 2 ? 5 : 7))) {
      case 0:
        return text();
      case 1:
        return pick([0, -0, 1, -12.5, 1e21, 0.1, Number.MAX_SAFE_INTEGER]);
      case 2:
        return random() < 0.5;
      case 3:
        return null;
      case 4:
        return '';
      case 5:
        return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [pick(NAMES), value(depth + 1)]));
    }
  }
  const error: Envelope = { action: 'none', status: 403, code: 'authorization_denied_by_mvpd', message: 'Denied & <done>', trace: 't-1' };
  const responses = Array.from({ length: 400 }, () =>
    Array.from({ length: Math.floor(random() * 5) }, (): FormattedItem => {
      const fields = Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [pick(NAMES), value(0)]));
      return random() < 0.3 ? { fields, error: { ...error, details: text() } } : { fields };
    }),
  );

  it('is what a document per response would be, and parses strictly', () => {
    const wrong: { items: FormattedItem[]; body: string; expected: string }[] = [];
    for (const items of responses) {
      const formatted = xmlFormatter.formatItems?.('resources', items) ?? '';
      const body = typeof formatted === 'string' ? formatted : formatted.join('');
      const expected = itemsDocument('resources', items);
      if (body !== expected) wrong.push({ items, body, expected });
      parseXml(body);
    }
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it.each([['two words'], [''], ['p:x'], ['1st'], ['a\u0001']])('refuses the element name %j, as a collection and as a field', (name) => {
    expect(() => xmlFormatter.formatItems?.(name, [])).toThrow(
      `XML item response: ${JSON.stringify(name)} is not usable as an element name`,
    );
    const items = [{ fields: { id: 1, [name]: 'x' } }];
    expect(() => xmlFormatter.formatItems?.('resources', items)).toThrow(`${JSON.stringify(name)} is not usable as an element name`);
    // Refused again on the next response: a refused name is never kept.
    expect(() => xmlFormatter.formatItems?.('resources', items)).toThrow(TypeError);
  });
});

describe.each(express5Only)('%s: field errors in the Pass XML body', (_name, express) => {
  const invalid = () =>
    passRegistry.create('invalid_parameter_value', {
      fields: [
        { pointer: '/name', message: 'Too short & <plain>' },
        { path: 'query.limit', message: 'Not a number', code: 'number.base' },
      ],
      omittedFields: 2,
    });
  const routes = {
    '/': () => {
      throw invalid();
    },
  };
  // The envelope comes from the JSON formatter (which writes every field), the XML
  // bytes from the independent reference; a fixed trace makes the two comparable.
  const fixedTrace = { generateTrace: () => 'trace-1' };

  // Apps are built inside the tests, so that the mutation run counts them as covering the formatter's construction.
  it.each([
    ['fieldErrors: true', () => createXmlFormatter({ fieldErrors: true }), true],
    ['fieldErrors: false', () => createXmlFormatter({ fieldErrors: false }), false],
    ['the default', () => createXmlFormatter(), false],
  ] as const)('with %s, a top-level error is the reference document', async (_case, makeFormatter, withFieldErrors) => {
    const app = appWith(express, routes, { ...fixedTrace, formatters: [createJsonFormatter({ fieldErrors: true }), makeFormatter()] });
    const json = await request(app).get('/').expect(400);
    expect(json.body.fields).toHaveLength(2);
    expect(json.body.omittedFields).toBe(2);
    const xml = await request(app).get('/').set('Accept', 'application/xml').expect(400);
    expect(xml.text).toBe(documentPerResponse(json.body, { withFieldErrors }));
  });

  it.each([
    ['fieldErrors: true', () => createXmlFormatter({ fieldErrors: true }), true],
    ['the default', () => createXmlFormatter(), false],
  ] as const)("with %s, an item's error is the reference document", async (_case, makeFormatter, withFieldErrors) => {
    const app = itemsAppWith(
      express,
      {
        '/items': (errors) => (req, res) => {
          errors.sendItems(req, res, { collection: 'resources', items: [{ id: 'a', error: invalid() }, { id: 'b' }] });
        },
      },
      { ...fixedTrace, formatters: [createJsonFormatter({ fieldErrors: true }), makeFormatter()] },
    );
    const json = await request(app).get('/items').expect(200);
    const items = (json.body.resources as { error?: Envelope; [field: string]: unknown }[]).map(({ error, ...fields }) => ({
      fields: fields as Record<string, string>,
      error,
    }));
    expect(items[0]?.error?.fields).toHaveLength(2);
    const xml = await request(app).get('/items').set('Accept', 'application/xml').expect(200);
    expect(xml.text).toBe(itemsDocument('resources', items, { withFieldErrors }));
  });
});
