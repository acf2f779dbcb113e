import type { RequestIds, RequestView } from '../../core/answer/request-view';

/** The ids each request was answered or settled with, so that every answer to one request carries the same ones. */
const settledIds = new WeakMap<Request, RequestIds>();

/** The core's view of a Fetch API `Request`; a class, so that no closure is made per request. */
class FetchRequestView implements RequestView<Request> {
  readonly method: string;
  readonly ids: RequestIds | undefined;
  constructor(readonly raw: Request) {
    this.method = raw.method;
    this.ids = settledIds.get(raw);
  }
  header(name: string): string | undefined {
    // Repeated headers come joined with ", ", as Node joins them.
    return this.raw.headers.get(name) ?? undefined;
  }
}

export function requestViewOf(request: Request): RequestView<Request> {
  return new FetchRequestView(request);
}

/** Keeps the ids of an answer for the request: a later answer to it, or the app's log lines, reuse them. */
export function keepRequestIds(request: Request, { requestId, trace }: RequestIds): void {
  settledIds.set(request, { requestId, trace });
}

/**
 * The request id and trace the request was answered or settled with, if any: what log lines should carry.
 *
 * @example
 * console.log(JSON.stringify({ ...requestIdsOf(request), msg: 'order placed' }));
 */
export function requestIdsOf(request: Request): RequestIds | undefined {
  const ids = settledIds.get(request);
  return ids === undefined ? undefined : { ...ids };
}
