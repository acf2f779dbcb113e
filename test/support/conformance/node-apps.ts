import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { enhancedErrorHandlerWithItems } from '../../../src/items';
import type { ExpressFactory } from '../apps';
import { caseOfPath, CONFIGURATIONS } from './cases';
import { itemsFor, optionsFor, perConfiguration, thrownFor } from './scenario';

/** The conformance routes on Express: one router per configuration, its own error handler last. */
export function expressConformanceApp(express: ExpressFactory): RequestListener {
  const app = express();
  // The framework's banner is the app's, not the error handler's: the other targets send none.
  app.disable('x-powered-by');
  for (const [registry, format] of CONFIGURATIONS) {
    const errors = enhancedErrorHandlerWithItems(optionsFor(registry, format));
    const router = express.Router();
    router.get('/:thrown', (req, res, next) => {
      const chosen = caseOfPath(req.originalUrl);
      if (chosen === undefined) return void res.status(400).send('no such case');
      if (chosen.thrown === 'items') return errors.sendItems(req, res, itemsFor(chosen.registry));
      next(thrownFor(chosen.registry, chosen.thrown));
    });
    router.use(errors.handler);
    app.use(`/c/${registry}/${format}`, router);
  }
  return app as unknown as RequestListener;
}

/** The same on a bare node:http server: the Express handler called with Node's own request and response. */
export function nodeHttpConformanceListener(): RequestListener {
  const handlerFor = perConfiguration((registry, format) => enhancedErrorHandlerWithItems(optionsFor(registry, format)));
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
