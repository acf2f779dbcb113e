/**
 * A small TV Everywhere-style service that answers every failure with an
 * Enhanced Error Code. It uses the package's public API only.
 */
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { createRegistry, type EnhancedErrorHandlerOptions, genericErrorCodes, notFoundHandler, requestContext } from '../src';
import { passCodes, passMessagesFr } from '../src/core/catalogs';
import { catalogRouter } from '../src/docs';
import { createJsonFormatter, createXmlFormatter } from '../src/core/formats';
import { enhancedErrorHandlerWithItems } from '../src/items';
import { rateLimitHandler } from '../src/integrations/rate-limit';
import { mountPreauthorize } from './preauthorize';

/** The canonical catalog and the generic fallback codes, with French messages, plus one code of the service's own. */
export const registry = createRegistry(
  {
    ...passCodes,
    ...genericErrorCodes,
    channel_not_found: { status: 404, action: 'none', message: 'The requested channel does not exist.' },
  },
  { name: 'exampleRegistry', messages: { fr: passMessagesFr } },
);

const CHANNELS = new Set(['news', 'sports', 'live']);

/** A profile as the client sends it; a ZodError thrown by parse() answers invalid_parameter_value with its fields. */
const ProfileSchema = z.object({
  user: z.string().min(3).max(64),
  channels: z
    .array(z.enum(['news', 'sports', 'live']))
    .min(1)
    .max(3),
  notify: z.boolean().optional(),
});

export interface ExampleOptions {
  /** Where the service is reached; helpUrl points at its own catalog page. */
  publicUrl: string;
  /** Default: true. Tests turn it off. */
  log?: boolean;
}

export function createApp({ publicUrl, log = true }: ExampleOptions) {
  // The error handler's options, given to the rate-limit handler too: one registry for every error.
  const errorOptions: EnhancedErrorHandlerOptions = {
    registry,
    log,
    // Validation failures list their fields (never the values sent) after the spec's fields.
    formatters: [createJsonFormatter({ fieldErrors: true }), createXmlFormatter({ fieldErrors: true })],
    // Codes the catalog page lists link to their row; the page is in the message's language.
    helpUrl: (error, _req, locale) =>
      registry.has(error.code) ? `${publicUrl}/errors${locale && locale !== 'en' ? `?lang=${locale}` : ''}#${error.code}` : undefined,
  };
  const errors = enhancedErrorHandlerWithItems(errorOptions);

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
        'POST /profiles {"user": "…", "channels": ["news"]}',
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
    handler: rateLimitHandler(errorOptions),
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

  app.post('/profiles', (req, res) => {
    const profile = ProfileSchema.parse(req.body);
    res.status(201).json({ user: profile.user, channels: profile.channels });
  });

  mountPreauthorize(app, errors);
  app.use('/errors', catalogRouter(registry, { title: 'Example service error codes' }));

  // Anything not routed above is a 404 with an envelope (405 with Allow for a routed path), not Express's HTML page.
  app.use(notFoundHandler());
  app.use(errors.handler);
  return app;
}
