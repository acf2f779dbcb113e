import type { Express, Request, RequestHandler, Response } from 'express';
import { z as z3 } from 'zod3';
import { z as z4 } from 'zod';
import { body, query, validationResult } from 'express-validator';
import { celebrate, Joi, Segments } from 'celebrate';
import * as OpenApiValidator from 'express-openapi-validator';
import Boom from '@hapi/boom';
import * as v from 'valibot';
import { type } from 'arktype';

const Zod3Schema = z3.object({ name: z3.string().min(20), kind: z3.enum(['a', 'b']) }).strict();
const Zod4Schema = z4.object({ name: z4.string().min(20), kind: z4.enum(['a', 'b']), count: z4.number() }).strict();

const ValibotSchema = v.strictObject({ name: v.pipe(v.string(), v.minLength(20)), kind: v.picklist(['a', 'b']), count: v.number() });
const ArktypeSchema = type({ '+': 'reject', name: 'string >= 20', kind: "'a' | 'b'", count: 'number' });

const validatorChains = [
  body('name').isLength({ min: 20 }).withMessage('Name is too short'),
  body('kind')
    .isIn(['a', 'b'])
    .withMessage((value: unknown) => `${String(value)} is not a kind`),
  query('limit').optional().isInt(),
];

/** Routes that fail validation with each library, the same body failing each. */
export const validationRoutes: Record<string, RequestHandler | RequestHandler[]> = {
  '/zod3': (req, res) => {
    Zod3Schema.parse(req.body);
    res.sendStatus(204);
  },
  '/zod4': (req, res) => {
    // reportInput puts the rejected value on each issue: the mapper must drop it.
    Zod4Schema.parse(req.body, { reportInput: true });
    res.sendStatus(204);
  },
  '/valibot': (req, res) => {
    v.parse(ValibotSchema, req.body, { abortEarly: false });
    res.sendStatus(204);
  },
  // assert() throws a TraversalError whose arkErrors hold the issues.
  '/arktype': (req, res) => {
    ArktypeSchema.assert(req.body);
    res.sendStatus(204);
  },
  // The ArkErrors a call returns, thrown as they are.
  '/arktype-errors': (req, res) => {
    const out = ArktypeSchema(req.body);
    if (out instanceof type.errors) throw out;
    res.sendStatus(204);
  },
  // Any Standard Schema library: its failure result thrown as it is (here valibot's, through ~standard).
  '/standard-schema': (req, res, next) => {
    // Passed to next(): Express 4 does not catch a rejected promise.
    Promise.resolve(ValibotSchema['~standard'].validate(req.body)).then((result) => {
      if (result.issues === undefined) res.sendStatus(204);
      else next(result);
    }, next);
  },
  '/express-validator': [
    ...validatorChains,
    (req: Request, res: Response) => {
      validationResult(req).throw();
      res.sendStatus(204);
    },
  ],
  '/express-validator-result': [
    ...validatorChains,
    (req: Request, res: Response, next: (error?: unknown) => void) => {
      const result = validationResult(req);
      if (!result.isEmpty()) return next(result);
      res.sendStatus(204);
    },
  ],
  '/celebrate': [
    celebrate(
      {
        [Segments.BODY]: Joi.object({ name: Joi.string().min(20), kind: Joi.valid('a', 'b') }),
        [Segments.QUERY]: Joi.object({ limit: Joi.number() }),
      },
      { abortEarly: false },
    ),
    (_req: Request, res: Response) => {
      res.sendStatus(204);
    },
  ],
};

const apiSpec = {
  openapi: '3.0.3',
  info: { title: 'mapper tests', version: '1.0.0' },
  paths: {
    '/oas': {
      post: {
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  name: { type: 'string', minLength: 20 },
                  kind: { type: 'string', enum: ['a', 'b'] },
                  count: { type: 'number' },
                },
              },
            },
          },
        },
        responses: { '204': { description: 'ok' } },
      },
    },
  },
} as const;

/**
 * Mounts routes that fail with each validation library (POST /zod3, /zod4,
 * /valibot, /arktype, /arktype-errors, /standard-schema, /express-validator, /express-validator-result, /celebrate, /oas through
 * express-openapi-validator) and with Boom (GET /boom/unauthorized,
 * /boom/not-found, /boom/implementation), for an app whose error handler comes last.
 */
export function mountValidationRoutes(app: Express): void {
  app.use(
    OpenApiValidator.middleware({
      apiSpec: apiSpec as never,
      validateRequests: { allowUnknownQueryParameters: false, allErrors: true },
      ignorePaths: /^\/(?!oas)/,
    }),
  );
  app.post('/oas', (_req, res) => {
    res.sendStatus(204);
  });
  for (const [path, handlers] of Object.entries(validationRoutes)) app.post(path, ...([handlers].flat() as RequestHandler[]));
  app.get('/boom/unauthorized', () => {
    throw Boom.unauthorized('Token expired', 'Bearer', { realm: 'tv' });
  });
  app.get('/boom/not-found', () => {
    throw Boom.notFound();
  });
  app.get('/boom/implementation', () => {
    throw Boom.badImplementation('database password is hunter2');
  });
}

/** Every validation route. */
export const libraries = [
  '/zod3',
  '/zod4',
  '/valibot',
  '/arktype',
  '/arktype-errors',
  '/standard-schema',
  '/express-validator',
  '/express-validator-result',
  '/celebrate',
  '/oas',
] as const;
