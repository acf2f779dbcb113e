import type { Formatter } from './formatter';

/**
 * The spec's flat JSON object. The envelope already holds its fields in the
 * spec's order, and JSON.stringify leaves out the undefined optional ones and
 * escapes lone surrogates, so the body always parses back to the same strings.
 * Item responses are `{"<collection>": [item, …]}`, a failed item's `error`
 * being that same object.
 */
export const jsonFormatter: Formatter = {
  mediaTypes: ['application/json'],
  contentType: 'application/json; charset=utf-8',
  formatError: (envelope) => JSON.stringify(envelope),
  formatItems: (collection, items) =>
    JSON.stringify({ [collection]: items.map(({ fields, error }) => (error === undefined ? fields : { ...fields, error })) }),
};
