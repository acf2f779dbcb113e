/**
 * `express-enhanced-errors/formats`: the wire shapes the handler can offer
 * besides its default JSON and XML, and what a custom formatter needs.
 */
export type { FormattedItem, Formatter, ItemValue } from './formatter';
export { ENVELOPE_FIELDS, type Envelope } from '../envelope/envelope';
export { createJsonFormatter, jsonFormatter, type PassFormatOptions } from './json';
export { createXmlFormatter, xmlFormatter } from './xml';
export {
  createProblemJsonFormatter,
  createProblemXmlFormatter,
  problemJsonFormatter,
  problemXmlFormatter,
  toProblemDetails,
  PROBLEM_XML_NAMESPACE,
  type ProblemDetails,
  type ProblemFieldError,
  type ProblemOptions,
} from './problem';
export { createVimondFormatter, vimondFormatter, type VimondIdentity } from './vimond';
export type { VimondError } from '../shared/types';
