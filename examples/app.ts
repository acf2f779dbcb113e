/**
 * A small TV Everywhere-style service that answers every failure with an
 * Enhanced Error Code. It uses the package's public API only.
 */
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import createError from 'http-errors';
import { catalogRouter, createRegistry, enhancedErrors, passCodes, passMessagesFr, requestContext } from '../src';
import { rateLimitHandler } from '../src/integrations/rate-limit';
import { mountPreauthorize } from './preauthorize';

/** The canonical catalog, with French messages, plus one code of the service's own. */
export const registry = createRegistry(
  {
    ...passCodes,
    channel_not_found: { status: 404, action: 'none', message: 'The requested channel does not exist.' },
  },
  { name: 'exampleRegistry', messages: { fr: passMessagesFr } },
);

const CHANNELS = new Set(['news', 'sports', 'live']);

export interface ExampleOptions {
  /** Where the service is reached; helpUrl points at its own catalog page. */
  publicUrl: string;
  /** Default: true. Tests turn it off. */
  log?: boolean;
}

export function createApp({ publicUrl, log = true }: ExampleOptions) {
  const errors = enhancedErrors({
    registry,
    log,
    // Codes the catalog page lists link to their row; the page is in the message's language.
    helpUrl: (error, _req, locale) =>
      registry.has(error.code) ? `${publicUrl}/errors${locale && locale !== 'en' ? `?lang=${locale}` : ''}#${error.code}` : undefined,
  });

  const app = express();
  app.use(requestContext());
  app.use(express.json({ limit: '10kb' }));

  app.get('/', (_req, res) => {
    res.json({
      routes: [
        'GET /channels/:channel/authorize?user=…',
        'GET /channels/:channel/stream',
        'GET /crash',
        'POST /preauthorize {"resources": […]}',
        'GET /errors (the catalog)',
      ],
    });
  });

  app.get('/channels/:channel/authorize', (req, res) => {
    const channel = String(req.params.channel);
    if (!CHANNELS.has(channel)) throw registry.create('channel_not_found', { details: `No channel named "${channel}".` });
    if (typeof req.query.user !== 'string') throw registry.create('authentication_session_missing');
    if (channel === 'live') {
      throw registry.create('authorization_denied_by_mvpd', {
        details: 'Your subscription package does not include the "Live" channel',
      });
    }
    res.json({ channel, authorized: true });
  });

  // Two streams per client every 30 s (memory store: one instance). The third answers
  // too_many_requests with Retry-After = seconds until the window resets, beside the RateLimit headers.
  const streamLimiter = rateLimit({
    windowMs: 30_000,
    limit: 2,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: rateLimitHandler({ registry }),
  });
  app.get('/channels/:channel/stream', streamLimiter, (req, res) => {
    const channel = String(req.params.channel);
    if (!CHANNELS.has(channel)) throw registry.create('channel_not_found');
    res.json({ channel, stream: `/live/${channel}.m3u8` });
  });

  // An unexpected failure: the client gets a redacted internal_error, the log keeps the original.
  app.get('/crash', () => {
    const session = undefined as unknown as { token: string };
    return session.token;
  });

  mountPreauthorize(app, errors);
  app.use('/errors', catalogRouter(registry, { title: 'Example service error codes' }));

  // Anything not routed above is a 404 with an envelope, not Express's HTML page.
  app.use((_req, _res, next) => next(createError(404)));
  app.use(errors.handler);
  return app;
}
