import type { RequestHandler } from 'express';
import {
  enhancedErrorHandlerWithItems,
  type EnhancedErrorHandlerWithItems,
  type EnhancedErrorHandlerWithItemsOptions,
} from '../../src/items';
import type { ExpressFactory } from './apps';

/** A route that answers with items, given the helpers built from the app's options. */
export type ItemRoute = (errors: EnhancedErrorHandlerWithItems) => RequestHandler;

/** An app with one route per entry, all built from one `enhancedErrorHandlerWithItems` options object, and its handler last. */
export function itemsAppWith(
  express: ExpressFactory,
  routes: Record<string, ItemRoute>,
  options: EnhancedErrorHandlerWithItemsOptions = {},
) {
  const errors = enhancedErrorHandlerWithItems({ log: false, ...options });
  const app = express();
  app.use(express.json());
  for (const [path, route] of Object.entries(routes)) app.all(path, route(errors));
  app.use(errors.handler);
  return app;
}

/** The spec's REST API helpUrl, used by its examples. */
export const SPEC_HELP_URL =
  'https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html';

/** The trace shown in the spec's item-level examples. */
export const SPEC_TRACE = '12f6fef9-d2e0-422b-a9d7-60d799abe353';
