// The XML the formats write, by hand: escaped text and element markup, with no
// dependency (xmlbuilder2 pulls Node's events and url and costs ~75 ms to
// require). test/core/formats/xml-writer-oracle.test.ts checks the bytes against xmlbuilder2 4.

/** `<?xml version="1.0" encoding="UTF-8"?>`, what every document starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR,
 * U+FFFE/U+FFFF, lone surrogates): each becomes U+FFFD.
 */
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every character XML 1.0 cannot carry replaced by U+FFFD. */
export function withoutNonXmlChars(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
}

/** A text with nothing to escape or replace (surrogates, even paired, take the slow path). */
const PLAIN_TEXT = /^[^&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]*$/;

/** Every `&` escaped (a text "&amp;" must read back as itself); CR as a reference, which a parser does not turn into LF. */
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/**
 * A value's text as element content: characters XML cannot carry become
 * U+FFFD, `&`, `<`, `>` and CR are escaped; any string is accepted.
 */
export function serializeXmlText(value: string): string {
  // Stryker disable next-line ConditionalExpression: a shortcut; escaping such a text leaves it unchanged.
  if (PLAIN_TEXT.test(value)) return value;
  return withoutNonXmlChars(value).replace(/[&<>\r]/g, (char) => ESCAPES[char] as string);
}

function isNameStartUnit(unit: number): boolean {
  return (
    (unit >= 0x61 && unit <= 0x7a) ||
    (unit >= 0x41 && unit <= 0x5a) ||
    unit === 0x3a ||
    unit === 0x5f ||
    (unit >= 0xc0 && unit <= 0xd6) ||
    (unit >= 0xd8 && unit <= 0xf6) ||
    (unit >= 0xf8 && unit <= 0x2ff) ||
    (unit >= 0x370 && unit <= 0x37d) ||
    (unit >= 0x37f && unit <= 0x1fff) ||
    (unit >= 0x200c && unit <= 0x200d) ||
    (unit >= 0x2070 && unit <= 0x218f) ||
    (unit >= 0x2c00 && unit <= 0x2fef) ||
    (unit >= 0x3001 && unit <= 0xd7ff) ||
    (unit >= 0xf900 && unit <= 0xfdcf) ||
    (unit >= 0xfdf0 && unit <= 0xfffd)
  );
}

function isNameUnit(unit: number): boolean {
  return (
    unit === 0x2d ||
    unit === 0x2e ||
    (unit >= 0x30 && unit <= 0x39) ||
    unit === 0xb7 ||
    (unit >= 0x300 && unit <= 0x36f) ||
    (unit >= 0x203f && unit <= 0x2040)
  );
}

/**
 * XML 1.0's Name production, as the DOM's createElement checks it: a
 * supplementary character (a surrogate pair) up to U+EFFFF is a name
 * character anywhere.
 */
export function isXmlName(name: string): boolean {
  if (name.length === 0) return false;
  for (let index = 0; index < name.length; index += 1) {
    const unit = name.charCodeAt(index);
    if (isNameStartUnit(unit) || (index > 0 && isNameUnit(unit))) continue;
    const low = name.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdb7f && low >= 0xdc00 && low <= 0xdfff) {
      index += 1;
      continue;
    }
    return false;
  }
  return true;
}

/** `<name>`, `</name>` and the childless `<name/>`. */
export interface ElementMarkup {
  readonly open: string;
  readonly close: string;
  readonly empty: string;
}

/**
 * The markup of an element named after a field, collection or item member.
 * A name XML does not allow is refused, and so are an empty name and a prefix
 * (which would need a namespace declaration).
 */
export function elementMarkup(name: string): ElementMarkup {
  let reason: string | undefined;
  if (name.length === 0 || name.includes(':')) reason = 'empty or prefixed name';
  else if (!isXmlName(name)) reason = 'not an XML 1.0 Name';
  if (reason !== undefined) {
    throw new TypeError(`XML item response: ${JSON.stringify(name)} is not usable as an element name`, { cause: new TypeError(reason) });
  }
  return { open: `<${name}>`, close: `</${name}>`, empty: `<${name}/>` };
}

/** An element with children: childless, it closes itself. */
export function element(markup: ElementMarkup, children: string): string {
  return children === '' ? markup.empty : markup.open + children + markup.close;
}

/** An element with one text, even an empty one (`<name></name>`). */
export function textElement(markup: ElementMarkup, value: string): string {
  return markup.open + serializeXmlText(value) + markup.close;
}
