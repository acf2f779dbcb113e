import type { Answer } from '../../core/answer/answer';
import { STATUS_PHRASES } from '../../core/status-phrases';

/**
 * The answer as a Fetch API `Response`. It decides nothing: the headers are
 * the answer's, plus Vary; the runtime adds Content-Length for the string body.
 */
export function responseOf(answer: Answer): Response {
  // An array, not a Headers: the Response makes its own Headers from it, once.
  const headers = [...answer.headers, ['Vary', answer.vary.join(', ')]] as [string, string][];
  const body = typeof answer.body === 'string' ? answer.body : answer.body.join('');
  return new Response(body, { status: answer.status, statusText: STATUS_PHRASES[answer.status] ?? '', headers });
}
