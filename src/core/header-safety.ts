/** A header name: an RFC 9110 token, the rule Node's `validateHeaderName` applies. */
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;

/** A character Node's `validateHeaderValue` refuses: controls other than HTAB (CR, LF and NUL among them) and anything past U+00FF. */
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Whether Node (and so any HTTP/1.1 writer following the same rules) accepts
 * this header name and value: such a header can never split a response.
 */
export function isSafeHeader(name: string, value: string): boolean {
  return TOKEN.test(name) && !INVALID_VALUE_CHAR.test(value);
}
