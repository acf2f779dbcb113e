import type { Envelope } from '../envelope/envelope';
import type { Action } from '../registry/actions';
import type { Formatter } from './formatter';
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
  };
}

/** `application/problem+json`. Offered only to clients that name it (see `explicitOnly`). */
export const problemJsonFormatter: Formatter = {
  mediaTypes: ['application/problem+json'],
  // JSON is always UTF-8 and the type defines no charset parameter.
  contentType: 'application/problem+json',
  explicitOnly: true,
  formatError: (envelope) => JSON.stringify(toProblemDetails(envelope)),
};

/** `application/problem+xml`: `<problem xmlns="urn:ietf:rfc:7807">` with one child per member. */
export const problemXmlFormatter: Formatter = {
  mediaTypes: ['application/problem+xml'],
  contentType: 'application/problem+xml; charset=utf-8',
  explicitOnly: true,
  formatError(envelope) {
    const doc = newXmlDocument();
    // Children made with ele(name) share the root's default namespace.
    const problem = doc.ele(PROBLEM_XML_NAMESPACE, 'problem');
    for (const [member, value] of Object.entries(toProblemDetails(envelope))) {
      if (value !== undefined) problem.ele(member).txt(toXmlText(String(value)));
    }
    return finishXml(doc.end({ prettyPrint: false }));
  },
};
