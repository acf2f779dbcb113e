import type { Envelope } from '../envelope/envelope';
import type { FieldError } from '../error/field-errors';
import type { Action } from '../registry/actions';
import type { Formatter } from './formatter';
import { withWireShape } from './wire-shape';
import { finishXml, newXmlDocument, toXmlText } from './xml';

/** RFC 9457, Appendix B: the namespace of the XML form (kept from RFC 7807). */
export const PROBLEM_XML_NAMESPACE = 'urn:ietf:rfc:7807';

/**
 * RFC 9457 problem details: the RFC's members in its order, then this
 * library's extension members. `type` is the help page when there is one;
 * absent optional members stay undefined and are left out.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly action: Action;
  readonly trace: string;
  /** RFC 9457 §3's `errors` member: one entry per invalid field of the request. */
  readonly errors?: readonly ProblemFieldError[];
  /** How many field errors were left out of `errors`. */
  readonly omittedErrors?: number;
}

/** One entry of `errors`: what is wrong, and where (`pointer` as a URI fragment, `#/age`). */
export interface ProblemFieldError {
  readonly detail: string;
  readonly pointer?: string;
  readonly path?: string;
  readonly code?: string;
}

/** A JSON Pointer as a URI fragment (RFC 6901 §6): characters a fragment cannot hold are percent-encoded. */
function pointerFragment(pointer: string): string {
  // A lone surrogate cannot be percent-encoded: it becomes U+FFFD first.
  const wellFormed = pointer.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return `#${wellFormed.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu, (char) => encodeURIComponent(char))}`;
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
 * An envelope as RFC 9457 problem details, what `problemJsonFormatter` sends.
 *
 * @example
 * const problem = toProblemDetails(envelope); // { type, title, status, detail, code, action, trace }
 */
export function toProblemDetails(envelope: Envelope): ProblemDetails {
  return {
    type: envelope.helpUrl ?? 'about:blank',
    title: envelope.message,
    status: envelope.status,
    detail: envelope.details,
    code: envelope.code,
    action: envelope.action,
    trace: envelope.trace,
    errors: envelope.fields?.map(toProblemFieldError),
    omittedErrors: envelope.omittedFields,
  };
}

/** `application/problem+json`. Offered only to clients that name it (see `explicitOnly`). */
export const problemJsonFormatter: Formatter = withWireShape(
  {
    mediaTypes: ['application/problem+json'],
    // JSON is always UTF-8 and the type defines no charset parameter.
    contentType: 'application/problem+json',
    explicitOnly: true,
    formatError: (envelope) => JSON.stringify(toProblemDetails(envelope)),
  },
  { kind: 'problem' },
);

/**
 * `application/problem+xml`: `<problem xmlns="urn:ietf:rfc:7807">` with one
 * child per member; `errors` holds one `<i>` per entry (RFC 9457, Appendix B).
 */
export const problemXmlFormatter: Formatter = withWireShape(
  {
    mediaTypes: ['application/problem+xml'],
    contentType: 'application/problem+xml; charset=utf-8',
    explicitOnly: true,
    formatError(envelope) {
      const doc = newXmlDocument();
      // Children made with ele(name) share the root's default namespace.
      const problem = doc.ele(PROBLEM_XML_NAMESPACE, 'problem');
      for (const [member, value] of Object.entries(toProblemDetails(envelope))) {
        if (value === undefined) continue;
        if (Array.isArray(value)) {
          const list = problem.ele(member);
          for (const entry of value as readonly ProblemFieldError[]) {
            const item = list.ele('i');
            for (const [name, text] of Object.entries(entry)) {
              if (text !== undefined) item.ele(name).txt(toXmlText(String(text)));
            }
          }
        } else {
          problem.ele(member).txt(toXmlText(String(value)));
        }
      }
      return finishXml(doc.end({ prettyPrint: false }));
    },
  },
  { kind: 'problem' },
);
