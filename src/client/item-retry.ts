import { type RetryAttempt, type RetryOptions, retryPolicy } from './backoff';
import { isRetryableAction } from './classify';
import { checkedParseOptions, parseEnhancedError } from './parse';
import { isRetryableResponse } from './retry';
import type { ItemFields, ItemLevelResult, ParsedResponse, ReceivedError, ResponseLike } from './types';

/** The latest answer for one of the items sent. */
export interface ItemOutcome<I> {
  /** The item as the caller gave it. */
  readonly input: I;
  /** Its fields in the last item-level response that answered it; undefined if none did. */
  readonly fields?: ItemFields;
  /** Its error in that response, if it failed. */
  readonly error?: ReceivedError;
  /** The attempt whose response this is. */
  readonly attempt?: number;
}

export interface ItemRetryResult<I> {
  /** The collection name of the item-level responses, e.g. `resources`. */
  readonly collection?: string;
  /** One outcome per input, in the inputs' order: the first attempt's answers merged with the retries'. */
  readonly outcomes: readonly ItemOutcome<I>[];
  /** The outcomes that still carry an error, or that no item-level response answered. */
  readonly failed: readonly ItemOutcome<I>[];
  /** Requests sent. */
  readonly attempts: number;
  /**
   * The last response when it was not item-level (a top-level error, a Vimond
   * body, or not an enhanced error at all); the items it was sent for keep
   * their earlier answers.
   */
  readonly stoppedBy?: Exclude<ParsedResponse, ItemLevelResult>;
}

/**
 * Sends a multi-item request, then sends again only the items whose error's
 * action is `retry` or `retry-after` (the spec: repeat only those items, not
 * the whole list), up to `maxAttempts`, and merges every answer into one
 * outcome per item. Response items are matched to the items sent by position.
 * A top-level `retry`/`retry-after` error repeats the same items; any other
 * top-level answer stops. A network error or an abort rejects.
 *
 * @example
 * const { outcomes } = await withItemRetry(['TestStream1', 'TestStream2'], (ids, { signal }) =>
 *   fetch(url, { method: 'POST', body: JSON.stringify({ resources: ids }), headers: { 'content-type': 'application/json' }, signal }));
 */
export async function withItemRetry<I>(
  inputs: readonly I[],
  send: (items: readonly I[], attempt: RetryAttempt) => Promise<ResponseLike>,
  options: RetryOptions = {},
): Promise<ItemRetryResult<I>> {
  const policy = retryPolicy(options);
  const parseOptions = checkedParseOptions(options);
  const outcomes: ItemOutcome<I>[] = inputs.map((input) => ({ input }));
  let pending = inputs.map((_input, index) => index);
  let collection: string | undefined;
  let attempt = 0;
  let stoppedBy: Exclude<ParsedResponse, ItemLevelResult> | undefined;

  while (pending.length > 0 && attempt < policy.maxAttempts) {
    policy.signal?.throwIfAborted();
    attempt += 1;
    const sent = pending;
    const response = await parseEnhancedError(
      await send(
        sent.map((index) => inputs[index] as I),
        { attempt, signal: policy.signal },
      ),
      parseOptions,
    );
    if (response.kind === 'item-level') {
      if (response.items.length !== sent.length) {
        throw new Error(
          `The item-level response has ${response.items.length} items for ${sent.length} sent; items are matched by position.`,
        );
      }
      collection = response.collection;
      stoppedBy = undefined;
      for (const { index, fields, error } of response.items) {
        const position = sent[index] as number;
        outcomes[position] = { input: inputs[position] as I, fields, ...(error === undefined ? {} : { error }), attempt };
      }
      pending = sent.filter((position) => isRetryableAction(outcomes[position]?.error?.action ?? ''));
    } else {
      stoppedBy = response;
      if (!isRetryableResponse(response)) break;
    }
    if (pending.length > 0 && attempt < policy.maxAttempts && !(await policy.wait(attempt, response))) break;
  }

  return {
    ...(collection === undefined ? {} : { collection }),
    outcomes,
    failed: outcomes.filter((outcome) => outcome.error !== undefined || outcome.fields === undefined),
    attempts: attempt,
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
  };
}
