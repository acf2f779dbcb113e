import type { Formatter } from './formatter';
import { jsonFormatter } from './json';
import { xmlFormatter } from './xml';

/** The wire shapes the handler offers when its `formatters` option is not given: the spec's JSON, then its XML. */
export const DEFAULT_FORMATTERS: readonly Formatter[] = Object.freeze([jsonFormatter, xmlFormatter]);
