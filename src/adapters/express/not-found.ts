import { statusError } from '../../core/normalize/status-error';
import { describe } from '../../core/shared/describe';
import type { HttpRequest, HttpResponse, NextFunction } from '../http';

export interface NotFoundOptions {
  /**
   * Answer 405 with `Allow` when the app's routes answer the path with other
   * methods. Default: true.
   */
  methodNotAllowed?: boolean;
}

/** A middleware that answers or passes on; never an error handler. */
export type RequestMiddleware = (req: HttpRequest, res: HttpResponse, next: NextFunction) => void;

/**
 * For the requests no route answered: mounted on the app after every route
 * and before the error handler, it passes a 404 to the handler, which answers
 * the registry's code for it (`not_found` in the Pass catalog), negotiated
 * like every other error, instead of Express's `Cannot GET /x` page. When the
 * app's routes answer the path with other methods it passes a 405 with
 * `Allow` instead (`invalid_http_method`). An OPTIONS request to such a path
 * is left to Express, which answers it with `Allow`.
 *
 * @example
 * app.get('/videos/:id', getVideo);
 * app.use(notFoundHandler()); // GET /nope: 404 not_found; POST /videos/1: 405 invalid_http_method, Allow: GET, HEAD
 * app.use(enhancedErrorHandler());
 */
export function notFoundHandler(options: NotFoundOptions = {}): RequestMiddleware {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`notFoundHandler: options must be an object, got ${describe(options)}`);
  const { methodNotAllowed = true } = options;
  if (typeof methodNotAllowed !== 'boolean')
    throw new TypeError(`notFoundHandler: methodNotAllowed must be a boolean, got ${describe(methodNotAllowed)}`);
  return function notFound(req, _res, next) {
    const allowed = methodNotAllowed ? methodsForPath(req) : undefined;
    if (allowed === undefined || allowed.size === 0) {
      next(statusError(404));
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    // A route took the request and passed it on: the resource is what is missing.
    if (allowed.has(method)) next(statusError(404));
    // Express answers OPTIONS for a routed path itself, once the stack is done.
    else if (method === 'OPTIONS') next();
    else {
      const allow = [...allowed].join(', ');
      next(statusError(405, `This resource answers ${allow}.`, { headers: { Allow: allow } }));
    }
  };
}

/** Nested routers deeper than this are not searched: no app nests so deep, and a cycle must end. */
const MAX_ROUTER_DEPTH = 32;

/** What the router's stack entries hold, in Express 4 and 5 alike; read by shape, never trusted. */
interface LayerShape {
  route?: { methods?: unknown };
  handle?: unknown;
  match?: unknown;
  path?: unknown;
  params?: unknown;
}

/**
 * The methods the app's routes answer for the request's path (HEAD with
 * GET), found by matching its router's stack as Express does, nested
 * routers included; undefined when the app's router cannot be read, or when
 * a route answers every method (`app.all`). Routes of a mounted sub-app
 * (`app.use('/x', otherApp)`) cannot be read: Express wraps it in a closure.
 */
function methodsForPath(req: HttpRequest): Set<string> | undefined {
  try {
    const stack = appRouterStack((req as HttpRequest & { app?: unknown }).app);
    if (stack === undefined) return undefined;
    const methods = new Set<string>();
    const path = (req.url ?? '/').split('?', 1)[0] || '/';
    if (collectMethods(stack, path, methods, 0)) return undefined;
    if (methods.has('GET')) methods.add('HEAD');
    return methods;
  } catch {
    // An app whose router reads unlike Express's: a plain 404 is still right.
    return undefined;
  }
}

/** Express 4 keeps the app's router in `_router`; Express 5 in `router` (a getter that throws in Express 4). */
function appRouterStack(app: unknown): readonly unknown[] | undefined {
  if (typeof app !== 'function' && (typeof app !== 'object' || app === null)) return undefined;
  const { _router: router4 } = app as { _router?: unknown };
  return stackOf(router4 ?? (app as { router?: unknown }).router);
}

/** A router's list of layers (`express.Router()` and the app's own router alike). */
function stackOf(router: unknown): readonly unknown[] | undefined {
  if (typeof router !== 'function' && (typeof router !== 'object' || router === null)) return undefined;
  const { stack } = router as { stack?: unknown };
  return Array.isArray(stack) ? stack : undefined;
}

/** Adds the methods of every route matching `path`; true when one answers any method. */
function collectMethods(stack: readonly unknown[], path: string, methods: Set<string>, depth: number): boolean {
  for (const entry of stack) {
    if (typeof entry !== 'object' || entry === null) continue;
    const layer = entry as LayerShape;
    const nested = layer.route === undefined ? stackOf(layer.handle) : undefined;
    if (layer.route === undefined && nested === undefined) continue;
    const matched = matchedPath(layer, path);
    if (matched === undefined) continue;
    if (layer.route !== undefined) {
      const declared = layer.route.methods;
      if (typeof declared !== 'object' || declared === null) continue;
      for (const [name, on] of Object.entries(declared)) {
        if (on !== true) continue;
        if (name === '_all') return true;
        methods.add(name.toUpperCase());
      }
    } else if (nested !== undefined && depth < MAX_ROUTER_DEPTH) {
      // As Express: the mount path must end at a segment boundary; the rest is the router's path.
      const after = path[matched.length];
      if (after !== undefined && after !== '/' && after !== '.') continue;
      const rest = path.slice(matched.length);
      if (collectMethods(nested, rest.startsWith('/') ? rest : `/${rest}`, methods, depth + 1)) return true;
    }
  }
  return false;
}

/**
 * The part of `path` the layer matches, or undefined. Express 5's `match`
 * returns it; Express 4's returns true and writes it to the layer (with its
 * params), which are put back, since the router reads them while it runs.
 */
function matchedPath(layer: LayerShape, path: string): string | undefined {
  if (typeof layer.match !== 'function') return undefined;
  const writesLayer = Object.hasOwn(layer, 'params');
  const { params, path: layerPath } = layer;
  try {
    const result: unknown = (layer.match as (path: string) => unknown).call(layer, path);
    const matched =
      result === true ? layer.path : typeof result === 'object' && result !== null ? (result as { path?: unknown }).path : undefined;
    return typeof matched === 'string' ? matched : undefined;
  } catch {
    // A path Express cannot decode (a bad %-escape) matches nothing here.
    return undefined;
  } finally {
    if (writesLayer) {
      layer.params = params;
      layer.path = layerPath;
    }
  }
}
