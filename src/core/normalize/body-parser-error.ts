/**
 * body-parser's error types and a message that is safe to show: its own
 * messages quote the request body or parser internals.
 */
export const BODY_PARSER_DETAILS: Readonly<Record<string, string>> = {
  'entity.parse.failed': 'The request body could not be parsed.',
  'entity.verify.failed': 'The request body failed verification.',
  'entity.too.large': 'The request body is too large.',
  'encoding.unsupported': 'The request body content encoding is not supported.',
  'charset.unsupported': 'The request body charset is not supported.',
  'request.size.invalid': 'The request body size does not match its Content-Length.',
  'request.aborted': 'The request was aborted by the client.',
  'parameters.too.many': 'The request body has too many parameters.',
};

/** An error of body-parser (express.json(), express.urlencoded()…), known by its `type`. */
export function isBodyParserError(thrown: object): boolean {
  const { type } = thrown as { type?: unknown };
  return typeof type === 'string' && Object.hasOwn(BODY_PARSER_DETAILS, type);
}
