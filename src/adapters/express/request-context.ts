import { isSafeId, type RequestIds, type RequestView } from '../../core/answer/request-view';
import type { HttpRequest, HttpResponse } from '../http';

export type { RequestIds } from '../../core/answer/request-view';

/**
 * The request id and trace an earlier middleware kept on `res.locals`, if any: what log lines should carry.
 *
 * @example
 * logger.info({ ...requestContextOf(res) }, 'order placed'); // carries requestId and trace when set
 */
export function requestContextOf(res: HttpResponse): RequestIds | undefined {
  const locals = res.locals;
  return isSafeId(locals?.requestId) && isSafeId(locals.trace) ? { requestId: locals.requestId, trace: locals.trace } : undefined;
}

/** The core's view of a Node (or Express) request; the ids an earlier middleware kept on `res.locals` are reused. */
class NodeRequestView implements RequestView<HttpRequest> {
  readonly method: string;
  readonly ids: Partial<RequestIds> | undefined;
  constructor(
    readonly raw: HttpRequest,
    locals: Record<string, unknown> | undefined,
  ) {
    this.method = raw.method ?? 'GET';
    this.ids = locals === undefined ? undefined : (locals as Partial<RequestIds>);
  }
  header(name: string): string | undefined {
    const value = this.raw.headers[name];
    return typeof value === 'string' ? value : undefined;
  }
}

export function requestViewOf(req: HttpRequest, res: HttpResponse): RequestView<HttpRequest> {
  return new NodeRequestView(req, res.locals);
}

/** Keeps the response's ids on `res.locals`, so that later log lines and the error body agree. */
export function keepRequestIds(res: HttpResponse, { requestId, trace }: RequestIds): void {
  const locals = res.locals;
  if (locals !== undefined) {
    locals.requestId = requestId;
    locals.trace = trace;
  }
}
