/**
 * What each conformance case configures and throws, built the same way by
 * every app (the Fetch app is bundled from this file too): so that the
 * targets differ only in the adapter and the runtime.
 */
// zod's mini build: the same ZodError, a tenth of the bundle of its classic API.
import * as z from 'zod/mini';
import * as v from 'valibot';
import type { AnswerOptions } from '../../../src/core/answer/pipeline';
import { genericErrorCodes, passFallbacks } from '../../../src/core/catalogs/additions';
import { passRestV1Registry, passRestV2Registry, passMessagesFr, vimondRegistry, passCodes } from '../../../src/core/catalogs';
import { passRegistry } from '../../../src/core/catalogs/pass-registry';
import { jsonFormatter } from '../../../src/core/formats/json';
import { problemJsonFormatter, problemXmlFormatter } from '../../../src/core/formats/problem';
import { vimondFormatter } from '../../../src/core/formats/vimond';
import { xmlFormatter } from '../../../src/core/formats/xml';
import { createRegistry, type RegistryView } from '../../../src/core/registry/registry';
import type { ItemsResponse } from '../../../src/core/items/answer-items';
import type { FormatName, RegistryName, ThrownKind } from './cases';

/** Every answer's trace: deterministic, so that bodies compare byte for byte. */
export const CONFORMANCE_TRACE = 'conformance-trace-1';

const passFr = createRegistry(
  { ...passCodes, ...genericErrorCodes },
  { name: 'passFr', fallbacks: passFallbacks, messages: { fr: passMessagesFr } },
);

const registries: Record<RegistryName, RegistryView> = {
  pass: passRegistry,
  'pass-fr': passFr,
  'rest-v2': passRestV2Registry,
  'rest-v1': passRestV1Registry,
  vimond: vimondRegistry,
};

const formats = {
  json: { formatters: [jsonFormatter, xmlFormatter], defaultType: 'application/json' },
  xml: { formatters: [jsonFormatter, xmlFormatter], defaultType: 'application/xml' },
  'problem-json': {
    formatters: [problemJsonFormatter, problemXmlFormatter, jsonFormatter, xmlFormatter],
    defaultType: 'application/problem+json',
  },
  'problem-xml': {
    formatters: [problemJsonFormatter, problemXmlFormatter, jsonFormatter, xmlFormatter],
    defaultType: 'application/problem+xml',
  },
  vimond: { formatters: [vimondFormatter, xmlFormatter], defaultType: 'application/json' },
} satisfies Record<FormatName, Pick<AnswerOptions, 'formatters' | 'defaultType'>>;

/** The answering options of one configuration, the same for the Express handler and the Fetch adapter. */
export function optionsFor(registry: RegistryName, format: FormatName) {
  return { registry: registries[registry], ...formats[format], generateTrace: () => CONFORMANCE_TRACE, log: false as const };
}

/**
 * What an app makes once per configuration (its handler), made on first use:
 * a runtime then starts without building handlers no request asked for.
 */
export function perConfiguration<T>(
  make: (registry: RegistryName, format: FormatName) => T,
): (registry: RegistryName, format: FormatName) => T {
  const made = new Map<string, T>();
  return (registry, format) => {
    const key = `${registry}/${format}`;
    let value = made.get(key);
    if (value === undefined) {
      value = make(registry, format);
      made.set(key, value);
    }
    return value;
  };
}

/** The registry's first code of a 4xx that asks for no wait, and its first `retry-after` code (else that first code). */
function codesOf(registry: RegistryView): { plain: string; wait: string } {
  const entries = [...registry];
  const plain = entries.find((entry) => (entry.statuses[0] as number) < 500 && entry.action !== 'retry-after');
  if (plain === undefined) throw new Error(`${registry.name} has no 4xx code`);
  return { plain: plain.code, wait: entries.find((entry) => entry.action === 'retry-after')?.code ?? plain.code };
}

const Order = z.strictObject({ name: z.string().check(z.minLength(20)), kind: z.enum(['a', 'b']), count: z.number() });

/** A real zod error, made the way a route meets one. */
function zodError(): unknown {
  const parsed = Order.safeParse({ name: 'short', kind: 'c', extra: true });
  if (parsed.success) throw new Error('the zod input should fail');
  return parsed.error;
}

const ValibotOrder = v.strictObject({ name: v.pipe(v.string(), v.minLength(20)), kind: v.picklist(['a', 'b']), count: v.number() });

/** A real valibot error (ValiError), every issue reported. */
function valibotError(): unknown {
  try {
    v.parse(ValibotOrder, { name: 'short', kind: 'c', extra: true }, { abortEarly: false });
  } catch (error) {
    return error;
  }
  throw new Error('the valibot input should fail');
}

/** What the route throws for a kind (items are answered, not thrown). */
export function thrownFor(registryName: RegistryName, kind: Exclude<ThrownKind, 'items'>): unknown {
  const registry = registries[registryName];
  const codes = codesOf(registry);
  switch (kind) {
    case 'registry':
      return registry.create(codes.plain, { details: 'Case <7> & "quotes".', headers: { 'X-Error-Ref': 'ref-7' } });
    case 'registry-wait':
      return registry.create(codes.wait, { retryAfter: 17 });
    case 'http-errors':
      // What http-errors makes: an Error with status, expose and headers.
      return Object.assign(new Error('The order 12 is already there.'), {
        status: 409,
        statusCode: 409,
        expose: true,
        headers: { 'X-Conflict-Id': 'c-12', 'Retry-After': '9' },
      });
    case 'zod':
      return zodError();
    case 'valibot':
      return valibotError();
    case 'body-parser':
      return Object.assign(new SyntaxError('Unexpected token } in JSON at position 9'), {
        status: 400,
        statusCode: 400,
        expose: true,
        type: 'entity.parse.failed',
        body: '{"a": 1,}',
      });
    case 'type-error':
      return new TypeError("Cannot read properties of undefined (reading 'id')");
    case 'aggregate':
      return new AggregateError([registry.create(codes.wait), registry.create(codes.plain, { details: 'The second one.' })], 'two');
  }
}

/** The items answer: one item served, one failed with a wait. */
export function itemsFor(registryName: RegistryName): ItemsResponse {
  const registry = registries[registryName];
  const codes = codesOf(registry);
  return {
    collection: 'decisions',
    items: [
      { resource: 'tv-1', authorized: true },
      { resource: 'tv-2', error: registry.create(codes.wait, { retryAfter: 11, details: 'Résumé <b>' }) },
    ],
  };
}
