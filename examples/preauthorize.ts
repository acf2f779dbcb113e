import type { IRouter, Request, Response } from 'express';
import { passRegistry } from '../src';
import { type EnhancedErrorHandlerWithItems } from '../src/items';

interface Decision {
  id: string;
  authorized: boolean;
  /** Set on a failed decision: an EnhancedError, or whatever was thrown. */
  error?: unknown;
}

/**
 * A stand-in for the MVPD, with one resource per kind of answer. Any other
 * resource is authorized.
 */
async function askMvpd(resource: string): Promise<Decision> {
  await new Promise((resolve) => setImmediate(resolve));
  switch (resource) {
    case 'TestStream2':
      // A denial is an answer, not a failure of the call: returned with its error.
      return {
        id: resource,
        authorized: false,
        error: passRegistry.create('preauthorization_denied_by_mvpd', {
          details: 'Your subscription package does not include the "Live" channel',
        }),
      };
    case 'SlowStream':
      throw passRegistry.create('network_connection_timeout');
    case 'BusyStream':
      throw passRegistry.create('user_rate_limit_exceeded', { retryAfter: 30 });
    case 'BrokenStream':
      // Not an EnhancedError: the item says internal_error, the log keeps this message.
      throw new Error('MVPD adapter crashed while reading session token=abc123');
    default:
      return { id: resource, authorized: true };
  }
}

async function decide(resource: unknown): Promise<Decision> {
  if (typeof resource !== 'string') {
    return {
      id: JSON.stringify(resource),
      authorized: false,
      error: passRegistry.create('invalid_resource_value', { details: 'Each resource must be a string.' }),
    };
  }
  try {
    return await askMvpd(resource);
  } catch (thrown) {
    return { id: resource, authorized: false, error: thrown };
  }
}

/**
 * `POST /preauthorize` with `{"resources": ["TestStream1", …]}` answers
 * `200 OK` with one decision per resource, in JSON or XML; a request without
 * a list, or with too many resources, gets a top-level error instead.
 */
export function mountPreauthorize(router: IRouter, errors: Pick<EnhancedErrorHandlerWithItems, 'readItems' | 'sendItems'>): void {
  router.post('/preauthorize', (req: Request, res: Response, next) => {
    // Handing failures to next keeps the route right on Express 4, which ignores returned promises.
    Promise.resolve()
      .then(async () => {
        const resources = errors.readItems(req.body?.resources, 'resources');
        const items = await Promise.all(resources.map(decide));
        errors.sendItems(req, res, { collection: 'resources', items });
      })
      .catch(next);
  });
}
