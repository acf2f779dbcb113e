import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { enhancedErrorHandlerWithItems } from '../../../src/items';
import type { ExpressFactory } from '../apps';
import { caseOfPath, CONFIGURATIONS } from './cases';
import { itemsFor, optionsFor, perConfiguration, thrownFor } from './scenario';

/**
 * Each configuration's handler and item helpers, made on first use and
 * shared by the Express apps and the node:http server: they take any
 * structural request and response, and building them is most of an app's start.
 */
const handlerFor = perConfiguration((registry, format) => enhancedErrorHandlerWithItems(optionsFor(registry, format)));

/** The conformance routes on Express: one router per configuration, its own error handler last. */
export function expressConformanceApp(express: ExpressFactory): RequestListener {
  const app = express();
  // The framework's banner is the app's, not the error handler's: the other targets send none.
  app.disable('x-powered-by');
  for (const [registry, format] of CONFIGURATIONS) {
    const router = express.Router();
    router.get('/:thrown', (req, res, next) => {
      const chosen = caseOfPath(req.originalUrl);
      if (chosen === undefined) return void res.status(400).send('no such case');
      if (chosen.thrown === 'items') return handlerFor(registry, format).sendItems(req, res, itemsFor(chosen.registry));
      next(thrownFor(chosen.registry, chosen.thrown));
    });
    router.use((error: unknown, req: Request, res: Response, next: NextFunction) =>
      handlerFor(registry, format).handler(error, req, res, next),
    );
    app.use(`/c/${registry}/${format}`, router);
  }
  return app as unknown as RequestListener;
}

/** The same on a bare node:http server: the Express handler called with Node's own request and response. */
export function nodeHttpConformanceListener(): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chosen = caseOfPath(req.url ?? '');
    if (chosen === undefined) {
      res.statusCode = 400;
      return void res.end('no such case');
    }
    const errors = handlerFor(chosen.registry, chosen.format);
    if (chosen.thrown === 'items') return errors.sendItems(req, res, itemsFor(chosen.registry));
    errors.handler(thrownFor(chosen.registry, chosen.thrown), req, res, (failure) => {
      res.statusCode = 599;
      res.end(`the handler passed on ${String(failure)}`);
    });
  };
}
