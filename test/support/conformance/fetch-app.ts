/**
 * The conformance app for Fetch API runtimes, in the Workers module shape:
 * `GET /c/<registry>/<format>/<thrown>` throws (or answers items) and the
 * Fetch adapter answers; `GET /hono/c/…` the same through the Hono adapter.
 * Bundled once, /fetch and /hono entries together, and run as it is on Bun, Deno and workerd.
 */
import { fetchErrorHandler } from '../../../src/adapters/fetch';
import { caseOfPath } from './cases';
import { honoConformanceApp } from './hono-app';
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

const HONO_PREFIX = '/hono';
let hono: ReturnType<typeof honoConformanceApp> | undefined;

function dispatch(request: Request): Response | Promise<Response> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${HONO_PREFIX}/`)) return route(request);
  url.pathname = url.pathname.slice(HONO_PREFIX.length);
  return (hono ??= honoConformanceApp()).fetch(new Request(url, request));
}

export default { fetch: dispatch };
