/**
 * The conformance cases: data only, the same list for every target (Express,
 * node:http, Hono, Bun, Deno, workerd). A case is a configuration (registry ×
 * format), what the route throws and how the request asks; its id names all
 * four, and the path of its request names the first three.
 */

/** The built-in registries, and passRegistry's codes with the shipped French messages (so that Accept-Language matters). */
export const REGISTRIES = ['pass', 'pass-fr', 'rest-v2', 'rest-v1', 'vimond'] as const;
export type RegistryName = (typeof REGISTRIES)[number];

/** The wire shapes configured: the formatters offered and the default type. */
export const FORMATS = ['json', 'xml', 'problem-json', 'problem-xml', 'vimond'] as const;
export type FormatName = (typeof FORMATS)[number];

/**
 * What the route does: throw a registry error (with an own header; with a wait),
 * an http-errors-like error, what a mapper reads (zod, valibot, body-parser), a
 * TypeError, an AggregateError of two registry errors, or answer items, one failed.
 */
export const THROWN = [
  'registry',
  'registry-wait',
  'http-errors',
  'zod',
  'valibot',
  'body-parser',
  'type-error',
  'aggregate',
  'items',
] as const;
export type ThrownKind = (typeof THROWN)[number];

export const ACCEPTS = {
  default: undefined,
  xml: 'application/xml',
  problem: 'application/problem+json;q=0.9, application/problem+xml',
  html: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
} as const;

export const LANGUAGES = { 'no-lang': undefined, fr: 'fr-CA, fr;q=0.9, en;q=0.5' } as const;

/** A safe id is echoed; an unsafe one (a space, a slash) is replaced by a generated one, as is a missing one. */
export const REQUEST_IDS = { 'rid-safe': 'req-42.a_b', 'rid-unsafe': 'req 42/../x', 'no-rid': undefined } as const;

export interface ConformanceCase {
  id: string;
  registry: RegistryName;
  format: FormatName;
  thrown: ThrownKind;
  /** The request's path: what the apps read the configuration and the thrown kind from. */
  path: string;
  headers: Record<string, string>;
}

interface RequestVariation {
  name: string;
  headers: Record<string, string>;
}

function requestVariations(): RequestVariation[] {
  const variations: RequestVariation[] = [];
  for (const [accept, acceptValue] of Object.entries(ACCEPTS)) {
    for (const [language, languageValue] of Object.entries(LANGUAGES)) {
      for (const [requestId, requestIdValue] of Object.entries(REQUEST_IDS)) {
        const headers: Record<string, string> = {};
        if (acceptValue !== undefined) headers.accept = acceptValue;
        if (languageValue !== undefined) headers['accept-language'] = languageValue;
        if (requestIdValue !== undefined) headers['x-request-id'] = requestIdValue;
        variations.push({ name: `accept-${accept}.${language}.${requestId}`, headers });
      }
    }
  }
  return variations;
}

/** Every configuration: each registry with each format, but the Vimond format (Vimond's catalog) with the Vimond registry only. */
export const CONFIGURATIONS: readonly (readonly [RegistryName, FormatName])[] = REGISTRIES.flatMap((registry) =>
  FORMATS.filter((format) => format !== 'vimond' || registry === 'vimond').map((format) => [registry, format] as const),
);

/**
 * Every configuration × thrown kind, each with two of the 24 request
 * variations: the n-th combination takes variations n and 7n + 5 (mod 24),
 * so that each variation meets every kind and most configurations.
 */
export function conformanceCases(): ConformanceCase[] {
  const variations = requestVariations();
  const cases: ConformanceCase[] = [];
  let n = 0;
  for (const [registry, format] of CONFIGURATIONS) {
    for (const thrown of THROWN) {
      const path = `/c/${registry}/${format}/${thrown}`;
      const picked = new Set([n % variations.length, (7 * n + 5) % variations.length]);
      for (const index of picked) {
        const { name, headers } = variations[index] as RequestVariation;
        cases.push({ id: `${registry}/${format}/${thrown}/${name}`, registry, format, thrown, path, headers });
      }
      n += 1;
    }
  }
  return cases;
}

/** The configuration and thrown kind a request path names, or undefined for any other path. */
export function caseOfPath(path: string): { registry: RegistryName; format: FormatName; thrown: ThrownKind } | undefined {
  const [, c, registry, format, thrown] = path.split('/');
  if (c !== 'c' || !isOneOf(REGISTRIES, registry) || !isOneOf(FORMATS, format) || !isOneOf(THROWN, thrown)) return undefined;
  return { registry, format, thrown };
}

function isOneOf<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return (list as readonly (string | undefined)[]).includes(value);
}
