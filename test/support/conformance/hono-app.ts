import { Hono } from 'hono';
import { fetchErrorHandler } from '../../../src/adapters/fetch';
import { caseOfPath, CONFIGURATIONS } from './cases';
import { itemsFor, optionsFor, thrownFor } from './scenario';

/** The conformance routes on Hono: one sub-app per configuration, with its own onError. */
export function honoConformanceApp(): Hono {
  const app = new Hono();
  for (const [registry, format] of CONFIGURATIONS) {
    const errors = fetchErrorHandler(optionsFor(registry, format));
    const sub = new Hono();
    sub.get('/:thrown', (c) => {
      const chosen = caseOfPath(new URL(c.req.url).pathname);
      if (chosen === undefined) return c.text('no such case', 400);
      if (chosen.thrown === 'items') return errors.itemsResponse(c.req.raw, itemsFor(chosen.registry));
      throw thrownFor(chosen.registry, chosen.thrown);
    });
    sub.onError((thrown, c) => errors.toResponse(thrown, c.req.raw));
    app.route(`/c/${registry}/${format}`, sub);
  }
  return app;
}
