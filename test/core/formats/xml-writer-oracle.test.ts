import fc from 'fast-check';
import type { Envelope } from '../../../src/core/envelope/envelope';
import { ACTIONS } from '../../../src/core/registry/actions';
import type { FormattedItem, ItemValue } from '../../../src/core/formats/formatter';
import { createProblemXmlFormatter } from '../../../src/core/formats/problem';
import { createXmlFormatter } from '../../../src/core/formats/xml';
import { elementMarkup, serializeXmlText } from '../../../src/core/formats/xml-writer';
import { assertProperty, fuzzRuns, nastyText } from '../../support/arbitraries';
import {
  oracleErrorDocument,
  oracleItemsDocument,
  oracleMarkup,
  oracleProblemDocument,
  oracleText,
} from '../../support/xmlbuilder2-oracle';

// xmlbuilder2 4 is the oracle: the formats wrote with it until they got their own writer.

const TEXT_PIECES = [
  '&',
  '<',
  '>',
  '"',
  "'",
  '\r',
  '\n',
  '\t',
  '\r\n',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001F',
  '\u007F',
  '\uFFFD',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uD83D\uDE00',
  '\uDBFF\uDFFF',
  '&amp;',
  '&x;',
  '&#13;',
  '&#xD;',
  '&lt;',
  ']]>',
  'a',
  ' ',
] as const;

const biasedText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...TEXT_PIECES), { maxLength: 12 }).map((pieces) => pieces.join('')) },
  { weight: 2, arbitrary: nastyText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
);

/** Units at the edges of XML 1.0's name ranges, and what xmlbuilder2 reads as something else than a name. */
const NAME_UNITS = [
  ...[0x2d, 0x2e, 0x2f, 0x30, 0x39, 0x3a, 0x3b, 0x40, 0x41, 0x5a, 0x5f, 0x60, 0x61, 0x7a, 0xb7, 0xbf, 0xc0, 0xd6, 0xd7, 0xd8, 0xf6, 0xf7],
  ...[0xf8, 0x2ff, 0x300, 0x36f, 0x370, 0x37d, 0x37e, 0x37f, 0x1fff, 0x2000, 0x200b, 0x200c, 0x200d, 0x200e, 0x203e, 0x203f, 0x2040],
  ...[0x2041, 0x206f, 0x2070, 0x218f, 0x2190, 0x2bff, 0x2c00, 0x2fef, 0x2ff0, 0x3000, 0x3001, 0xd7ff, 0xe000, 0xf8ff, 0xf900, 0xfdcf],
  ...[0xfdd0, 0xfdef, 0xfdf0, 0xfffd, 0xfffe, 0xffff, 0xd800, 0xdb7f, 0xdb80, 0xdbff, 0xdc00, 0xdfff],
].map((unit) => String.fromCharCode(unit));

const namePiece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAME_UNITS) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'Z', '_', 'é', '1', '-', '.', 'item', 'error', 'xmlns', 'xml') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\uD83D\uDE00',
      '\uDB7F\uDFFF',
      '\uDB80\uDC00',
      '\uD800\uDC00',
      ' ',
      '\t',
      '@',
      '<',
      '{',
      '[',
      '#',
      '%',
      '---',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) },
);
const anyName = fc.array(namePiece, { minLength: 0, maxLength: 6 }).map((pieces) => pieces.join(''));

/**
 * Strings xmlbuilder2's ele() reads as something other than a name: an XML,
 * JSON or YAML document to parse, or `name@namespace`. None is an XML Name;
 * the writer refuses them all.
 */
const READ_AS_OTHER_THAN_A_NAME = (name: string) => /^\s*[<{[]/.test(name) || /^(\s*|(#.*)|(%.*))*---/.test(name) || name.indexOf('@') > 0;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

const RUNS = fuzzRuns(500);

describe('the XML writer against xmlbuilder2 4', () => {
  it('serializes every text as xmlbuilder2 did (through toXmlText and finishXml)', async () => {
    await assertProperty(
      fc.asyncProperty(biasedText, async (text) => {
        expect(serializeXmlText(text)).toBe(oracleText(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts exactly the element names xmlbuilder2 accepts (less empty and prefixed ones) and writes the same markup', async () => {
    await assertProperty(
      fc.asyncProperty(anyName, async (name) => {
        const ours = attempt(() => elementMarkup(name));
        const theirs = attempt(() => oracleMarkup(name));
        if (ours.ok) {
          expect(theirs).toEqual({ ok: true, value: ours.value });
        } else {
          expect(ours.error).toBeInstanceOf(TypeError);
          expect((ours.error as Error).message).toBe(`XML item response: ${JSON.stringify(name)} is not usable as an element name`);
          if (theirs.ok) expect(READ_AS_OTHER_THAN_A_NAME(name)).toBe(true);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it.each([
    ['a namespace after @', 'a@example', '<a xmlns="example">'],
    ['an XML fragment', '<b/>', '<b>'],
    ['a JSON array', '[1]', '1'],
    ['a YAML document', '---', ''],
  ])('refuses %s, which xmlbuilder2 took for something else than a name', (_case, name, xmlbuilder2Wrote) => {
    expect(oracleMarkup(name).open).toBe(xmlbuilder2Wrote);
    expect(() => elementMarkup(name)).toThrow(/is not usable as an element name/);
  });

  it('refuses a name on the edges of the Name production as the DOM does', () => {
    expect(elementMarkup('a\u00B7').open).toBe('<a\u00B7>');
    expect(() => elementMarkup('\u00B7a')).toThrow(TypeError);
    expect(elementMarkup('\uDB7F\uDFFF').empty).toBe('<\uDB7F\uDFFF/>');
    expect(() => elementMarkup('\uDB80\uDC00')).toThrow(TypeError);
    expect(() => elementMarkup('a\uD800')).toThrow(TypeError);
  });
});

const envelope: fc.Arbitrary<Envelope> = fc.record(
  {
    action: fc.constantFrom(...ACTIONS),
    status: fc.integer({ min: 400, max: 599 }),
    code: biasedText,
    message: biasedText,
    details: biasedText,
    helpUrl: fc.oneof(
      fc.constant('https://docs.example.com/errors#x'),
      biasedText.map((text) => `https://docs.example.com/${text}`),
    ),
    trace: biasedText,
    fields: fc.array(
      fc.record({ pointer: biasedText, path: biasedText, message: biasedText, code: biasedText }, { requiredKeys: ['message'] }),
      { maxLength: 3 },
    ),
    omittedFields: fc.nat(),
  },
  { requiredKeys: ['action', 'status', 'code', 'message', 'trace'] },
);

/** Item field names: mostly names XML takes, some it refuses. */
const fieldName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('id', 'name', 'value', 'é-1', 'error2', '_x') },
  { weight: 1, arbitrary: anyName },
);

const itemValue: fc.Arbitrary<ItemValue> = fc.letrec<{ value: ItemValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    biasedText,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fieldName, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const items: fc.Arbitrary<FormattedItem[]> = fc.array(
  fc.record({ fields: fc.dictionary(fieldName, itemValue, { maxKeys: 3 }), error: envelope }, { requiredKeys: ['fields'] }),
  { maxLength: 4 },
);

const joined = (body: string | readonly string[]) => (typeof body === 'string' ? body : body.join(''));

describe('whole documents against xmlbuilder2 4', () => {
  const formatters = [false, true].map((fieldErrors) => ({ fieldErrors, formatter: createXmlFormatter({ fieldErrors }) }));

  it('writes the error envelope, with and without field errors, byte for byte', async () => {
    await assertProperty(
      fc.asyncProperty(envelope, async (sent) => {
        for (const { fieldErrors, formatter } of formatters) {
          expect(formatter.formatError(sent)).toBe(oracleErrorDocument(sent, fieldErrors));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('writes item responses byte for byte, and refuses the names xmlbuilder2 refused', async () => {
    await assertProperty(
      fc.asyncProperty(fc.oneof(fc.constantFrom('resources', 'items'), fieldName), items, async (collection, sent) => {
        for (const { fieldErrors, formatter } of formatters) {
          const ours = attempt(() => joined(formatter.formatItems?.(collection, sent) ?? ''));
          const theirs = attempt(() => oracleItemsDocument(collection, sent, fieldErrors));
          if (ours.ok) expect(theirs).toEqual(ours);
          else if (theirs.ok) expect(JSON.stringify(sent) + collection).toMatch(/@|<|\{|\[|---/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('writes problem+xml byte for byte, with and without a type base', async () => {
    const problemFormatters = [{}, { typeBase: 'https://api.example.com/problems/' }].map((options) => ({
      options,
      formatter: createProblemXmlFormatter(options),
    }));
    await assertProperty(
      fc.asyncProperty(envelope, async (sent) => {
        for (const { options, formatter } of problemFormatters)
          expect(formatter.formatError(sent)).toBe(oracleProblemDocument(sent, options));
      }),
      { numRuns: RUNS },
    );
  });
});
