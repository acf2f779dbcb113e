import { STATUS_PHRASES } from '../status-phrases';
import { type Envelope, ENVELOPE_FIELDS } from '../envelope/envelope';
import type { EnvelopeField } from '../envelope/fields';
import type { FieldError } from '../error/field-errors';
import type { Action } from '../registry/actions';
import type { Formatter } from './formatter';
import { withWireShape } from './wire-shape';
import { element, elementMarkup, type ElementMarkup, textElement, XML_DECLARATION } from './xml-writer';

/** RFC 9457, Appendix B: the namespace of the XML form (kept from RFC 7807). */
export const PROBLEM_XML_NAMESPACE = 'urn:ietf:rfc:7807';

/**
 * RFC 9457 problem details: the RFC's members in its order, then this
 * library's extension members. `type` names the error's code (see
 * `problemTypeOf`); absent optional members stay undefined and are left out.
 */
/** The envelope's fields problem details name otherwise (`title`, `detail`) or place before the others. */
const PLACED_FIELDS: readonly EnvelopeField[] = ['status', 'code', 'action', 'message', 'details'];

/** An envelope field carried as an extension member of its own name: `helpUrl`, `trace`, and any field added to the envelope. */
export type CarriedField = Exclude<EnvelopeField, 'status' | 'code' | 'action' | 'message' | 'details'>;

/** The carried fields, in the envelope's order, after `message`. */
export const CARRIED_FIELDS = ENVELOPE_FIELDS.filter((field): field is CarriedField => !PLACED_FIELDS.includes(field));

export interface ProblemDetails extends Pick<Envelope, CarriedField> {
  readonly type: string;
  /** The message; for `about:blank`, the status's reason phrase (RFC 9457 §4.2.1), the message then in `message`. */
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly action: Action;
  /** Only for `about:blank`, whose `title` is the status phrase. */
  readonly message?: string;
  /** RFC 9457 §3's `errors` member: one entry per invalid field of the request. */
  readonly errors?: readonly ProblemFieldError[];
  /** How many field errors were left out of `errors`. */
  readonly omittedErrors?: number;
}

/** How `type` is made. */
export interface ProblemOptions {
  /**
   * An absolute URI the code is appended to, percent-encoded: with
   * `https://api.example.com/problems/`, a `too_many_requests` error has the
   * type `https://api.example.com/problems/too_many_requests`. Without it, the
   * type is the help page with the code as its fragment.
   */
  readonly typeBase?: string;
}

/** One entry of `errors`: what is wrong, and where (`pointer` as a URI fragment, `#/age`). */
export interface ProblemFieldError {
  readonly detail: string;
  readonly pointer?: string;
  readonly path?: string;
  readonly code?: string;
}

/** Lone surrogates as U+FFFD: they cannot be percent-encoded. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A JSON Pointer as a URI fragment (RFC 6901 §6): characters a fragment cannot hold are percent-encoded. */
function pointerFragment(pointer: string): string {
  return `#${wellFormed(pointer).replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu, (char) => encodeURIComponent(char))}`;
}

function toProblemFieldError(field: FieldError): ProblemFieldError {
  return {
    detail: field.message,
    pointer: field.pointer === undefined ? undefined : pointerFragment(field.pointer),
    path: field.path,
    code: field.code,
  };
}

/**
 * RFC 9457 §3.1.1: `type` is the primary identifier of the problem type, so
 * each code has its own: the type base followed by the code, else the help
 * page with the code as its fragment (in place of any fragment it had), else,
 * with neither, `about:blank`.
 */
function problemType(envelope: Envelope, typeBase: string | undefined): string {
  const code = encodeURIComponent(wellFormed(envelope.code));
  if (typeBase !== undefined) return typeBase + code;
  const { helpUrl } = envelope;
  if (helpUrl === undefined) return 'about:blank';
  const fragmentStart = helpUrl.indexOf('#');
  return `${fragmentStart === -1 ? helpUrl : helpUrl.slice(0, fragmentStart)}#${code}`;
}

function problemDetails(envelope: Envelope, typeBase: string | undefined): ProblemDetails {
  const type = problemType(envelope, typeBase);
  // RFC 9457 §4.2.1: an about:blank problem's title is the status phrase; the message keeps its own member.
  const blank = type === 'about:blank';
  const problem: Record<string, unknown> = {
    type,
    title: (blank ? STATUS_PHRASES[envelope.status] : undefined) ?? envelope.message,
    status: envelope.status,
    detail: envelope.details,
    code: envelope.code,
    action: envelope.action,
    message: blank ? envelope.message : undefined,
  };
  for (const field of CARRIED_FIELDS) problem[field] = envelope[field];
  problem.errors = envelope.fields?.map(toProblemFieldError);
  problem.omittedErrors = envelope.omittedFields;
  return problem as unknown as ProblemDetails;
}

/** An absolute URI in printable ASCII that the URL parser reads; `about:` is left to `about:blank`. */
function checkedTypeBase(where: string, options: ProblemOptions): string | undefined {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object`);
  const { typeBase } = options;
  if (typeBase === undefined) return undefined;
  if (typeof typeBase === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]*$/.test(typeBase) && !/^about:/i.test(typeBase)) {
    try {
      new URL(typeBase);
      return typeBase;
    } catch {
      // Refused below.
    }
  }
  throw new TypeError(
    `${where}: typeBase must be an absolute URI such as "https://api.example.com/problems/", got ${JSON.stringify(typeBase)}`,
  );
}

/**
 * An envelope as RFC 9457 problem details, what the problem formatters send.
 *
 * @example
 * const problem = toProblemDetails(envelope); // { type: 'https://docs.example.com/errors#video_not_found', title, status, … }
 * const typed = toProblemDetails(envelope, { typeBase: 'https://api.example.com/problems/' });
 */
export function toProblemDetails(envelope: Envelope, options: ProblemOptions = {}): ProblemDetails {
  return problemDetails(envelope, checkedTypeBase('toProblemDetails', options));
}

/**
 * `application/problem+json`. Offered only to clients that name it (see `explicitOnly`).
 *
 * @example
 * enhancedErrorHandler({ formatters: [jsonFormatter, createProblemJsonFormatter({ typeBase: 'https://api.example.com/problems/' })] });
 */
export function createProblemJsonFormatter(options: ProblemOptions = {}): Formatter {
  const typeBase = checkedTypeBase('createProblemJsonFormatter', options);
  return withWireShape(
    {
      mediaTypes: ['application/problem+json'],
      // JSON is always UTF-8 and the type defines no charset parameter.
      contentType: 'application/problem+json',
      explicitOnly: true,
      formatError: (envelope) => JSON.stringify(problemDetails(envelope, typeBase)),
    },
    { kind: 'problem' },
  );
}

/** `application/problem+json`, each type the help page with the code as fragment. */
export const problemJsonFormatter: Formatter = createProblemJsonFormatter();

const PROBLEM_MARKUP = elementMarkup('problem');
/** The root declares the namespace; its children are in it as the default namespace. */
const PROBLEM_OPEN = `<problem xmlns="${PROBLEM_XML_NAMESPACE}">`;
const ENTRY_MARKUP = elementMarkup('i');
/** The members' markup, made once per name (the names are ProblemDetails' and ProblemFieldError's). */
const memberMarkup = new Map<string, ElementMarkup>();

function problemMarkup(name: string): ElementMarkup {
  let markup = memberMarkup.get(name);
  // Stryker disable next-line ConditionalExpression: a memo; making the markup again gives the same markup.
  if (markup === undefined) {
    markup = elementMarkup(name);
    memberMarkup.set(name, markup);
  }
  return markup;
}

/**
 * `application/problem+xml`: `<problem xmlns="urn:ietf:rfc:7807">` with one
 * child per member; `errors` holds one `<i>` per entry (RFC 9457, Appendix B).
 *
 * @example
 * enhancedErrorHandler({ formatters: [jsonFormatter, createProblemXmlFormatter({ typeBase: 'https://api.example.com/problems/' })] });
 */
export function createProblemXmlFormatter(options: ProblemOptions = {}): Formatter {
  const typeBase = checkedTypeBase('createProblemXmlFormatter', options);
  return withWireShape(
    {
      mediaTypes: ['application/problem+xml'],
      contentType: 'application/problem+xml; charset=utf-8',
      explicitOnly: true,
      formatError(envelope) {
        let members = '';
        for (const [member, value] of Object.entries(problemDetails(envelope, typeBase))) {
          if (value === undefined) continue;
          if (Array.isArray(value)) {
            let list = '';
            for (const entry of value as readonly ProblemFieldError[]) {
              let entryMembers = '';
              for (const [name, text] of Object.entries(entry)) {
                if (text !== undefined) entryMembers += textElement(problemMarkup(name), String(text));
              }
              list += element(ENTRY_MARKUP, entryMembers);
            }
            members += element(problemMarkup(member), list);
          } else {
            members += textElement(problemMarkup(member), String(value));
          }
        }
        // Never childless: type, title, status, code and action are always there.
        return XML_DECLARATION + PROBLEM_OPEN + members + PROBLEM_MARKUP.close;
      },
    },
    { kind: 'problem' },
  );
}

/** `application/problem+xml`, each type the help page with the code as fragment. */
export const problemXmlFormatter: Formatter = createProblemXmlFormatter();
