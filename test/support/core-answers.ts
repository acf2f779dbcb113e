import type { IncomingHttpHeaders } from 'node:http';
import type { Answer } from '../../src/core/answer/answer';
import type { RequestView } from '../../src/core/answer/request-view';
import type { RawResponse } from './http-client';

/**
 * The core's view of a request made of a method and headers, as the Node
 * adapter makes one of an incoming request: names in lower case, a header
 * present once is its value.
 */
export function requestView(method: string, headers: Readonly<Record<string, string | undefined>> = {}): RequestView<undefined> {
  const lower = new Map(Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name.toLowerCase(), value]])));
  return { method, header: (name) => lower.get(name), raw: undefined };
}

/**
 * An answer of the core as the response a client would read if the adapter
 * wrote it as it is: its status and headers, Content-Length of the UTF-8
 * body, Vary, and no body for HEAD. What the adapter itself adds (a route's
 * headers, a Vary merged with one already set) is not here: the HTTP samples
 * of the tests that use this compare it with the bytes the adapter sends.
 */
export function answerResponse(answer: Answer, method = 'GET'): RawResponse {
  const text = typeof answer.body === 'string' ? answer.body : answer.body.join('');
  const body = Buffer.from(text, 'utf8');
  const pairs: (readonly [string, string])[] = [
    ...answer.headers,
    ['Content-Length', String(body.length)],
    ['Vary', answer.vary.join(', ')],
  ];
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const before = headers[key];
    headers[key] = before === undefined ? value : `${String(before)}, ${value}`;
  }
  return { status: answer.status, headers, rawHeaders: pairs.flat(), body: method === 'HEAD' ? Buffer.alloc(0) : body };
}

/** The parts of a response the adapter must write exactly as the core answered: for comparing an HTTP response with `answerResponse`. */
export function wireParts(res: RawResponse): { status: number; headers: [string, string][]; body: string } {
  const headers: [string, string][] = [];
  for (let index = 0; index < res.rawHeaders.length; index += 2) {
    const name = (res.rawHeaders[index] as string).toLowerCase();
    // Added by Node's HTTP server, not by the adapter.
    if (['date', 'connection', 'keep-alive', 'x-powered-by'].includes(name)) continue;
    headers.push([name, res.rawHeaders[index + 1] as string]);
  }
  return { status: res.status, headers: headers.sort(([a], [b]) => a.localeCompare(b)), body: res.body.toString('base64') };
}
