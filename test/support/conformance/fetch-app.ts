/**
 * The conformance app for Fetch API runtimes, in the Workers module shape:
 * `GET /c/<registry>/<format>/<thrown>` throws (or answers items) and the
 * Fetch adapter answers. Bundled once and run as it is on Bun, Deno and workerd.
 */
import { fetchErrorHandler } from '../../../src/adapters/fetch';
import { caseOfPath } from './cases';
import { itemsFor, optionsFor, perConfiguration, thrownFor } from './scenario';

const handlerFor = perConfiguration((registry, format) => fetchErrorHandler(optionsFor(registry, format)));

function route(request: Request): Response {
  const chosen = caseOfPath(new URL(request.url).pathname);
  if (chosen === undefined) return new Response('no such case', { status: 400 });
  const errors = handlerFor(chosen.registry, chosen.format);
  if (chosen.thrown === 'items') return errors.itemsResponse(request, itemsFor(chosen.registry));
  try {
    throw thrownFor(chosen.registry, chosen.thrown);
  } catch (thrown) {
    return errors.toResponse(thrown, request);
  }
}

export default { fetch: route };
