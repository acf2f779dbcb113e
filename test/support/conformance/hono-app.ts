import { Hono } from 'hono';
import { fetchErrorHandler } from '../../../src/adapters/fetch';
import { enhancedErrorHandler } from '../../../src/adapters/hono';
import { caseOfPath, CONFIGURATIONS } from './cases';
import { itemsFor, optionsFor, thrownFor } from './scenario';

/** The conformance routes on Hono: one sub-app per configuration, its onError the Hono adapter's (items through the Fetch adapter's). */
export function honoConformanceApp(): Hono {
  const app = new Hono();
  for (const [registry, format] of CONFIGURATIONS) {
    const options = optionsFor(registry, format);
    const items = fetchErrorHandler(options);
    const sub = new Hono();
    sub.get('/:thrown', (c) => {
      const chosen = caseOfPath(new URL(c.req.url).pathname);
      if (chosen === undefined) return c.text('no such case', 400);
      if (chosen.thrown === 'items') return items.itemsResponse(c.req.raw, itemsFor(chosen.registry));
      throw thrownFor(chosen.registry, chosen.thrown);
    });
    sub.onError(enhancedErrorHandler(options));
    app.route(`/c/${registry}/${format}`, sub);
  }
  return app;
}
