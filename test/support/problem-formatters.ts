import type { Formatter } from '../../src/formats/formatter';
import { finishXml, newXmlDocument, toXmlText } from '../../src/formats/xml';
import type { Envelope } from '../../src/envelope/envelope';

/**
 * Stand-ins for the RFC 9457 formatters (built in their own issue), plugged
 * into the real handler through the Formatter interface and writing the
 * documented shape: type = helpUrl or about:blank, title = message,
 * status, detail = details, and the extension members code, action, trace.
 * Replace with the real formatters once they land.
 */
function problemMembers(envelope: Envelope): Record<string, string | number | undefined> {
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

export const problemJsonFormatter: Formatter = {
  mediaTypes: ['application/problem+json'],
  contentType: 'application/problem+json; charset=utf-8',
  formatError: (envelope) => JSON.stringify(problemMembers(envelope)),
};

export const problemXmlFormatter: Formatter = {
  mediaTypes: ['application/problem+xml'],
  contentType: 'application/problem+xml; charset=utf-8',
  formatError(envelope) {
    const doc = newXmlDocument();
    const problem = doc.ele('urn:ietf:rfc:7807', 'problem');
    for (const [name, value] of Object.entries(problemMembers(envelope))) {
      if (value !== undefined) problem.ele(name).txt(toXmlText(String(value)));
    }
    return finishXml(doc.end());
  },
};
