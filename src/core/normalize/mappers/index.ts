import { EnhancedError } from '../../error/enhanced-error';
import type { RegistryView } from '../../registry/registry';
import type { Normalize } from '../normalize';
import { bodyParserMapper } from './body-parser';
import { boomMapper } from './boom';
import { celebrateMapper } from './celebrate';
import { expressValidatorMapper } from './express-validator';
import { openApiValidatorMapper } from './openapi-validator';
import { standardSchemaMapper } from './standard-schema';
import type { ErrorMapper, ErrorMapperFactory } from './types';
import { zodMapper } from './zod';
import { fetchFailureMapper } from './fetch';

export type { ErrorMapper, ErrorMapperFactory } from './types';
export { bodyParserMapper, isBodyParserError, MALFORMED_BODY_CODES } from './body-parser';
export { boomMapper } from './boom';
export { celebrateMapper } from './celebrate';
export { expressValidatorMapper } from './express-validator';
export { openApiValidatorMapper } from './openapi-validator';
export {
  standardSchemaFailureOf,
  standardSchemaMapper,
  type StandardSchemaFailure,
  type StandardSchemaIssue,
  type StandardSchemaLocation,
} from './standard-schema';
export { zodMapper } from './zod';
export {
  fetchFailureKind,
  fetchFailureMapper,
  FETCH_FAILURE_CODES,
  FETCH_FAILURE_FALLBACK_STATUS,
  type FetchFailureKind,
  type FetchFailureMapperOptions,
} from './fetch';
export { GENERIC_FIELD_MESSAGE, VALIDATION_CODES } from './field-messages';
export { MAX_FIELD_ERRORS } from '../../error/field-errors';

/**
 * The mappers on by default, in the order tried. Each recognizes one
 * library's errors by shape; none imports its library.
 */
export const BUILT_IN_MAPPERS: readonly ErrorMapperFactory[] = Object.freeze([
  bodyParserMapper,
  zodMapper,
  expressValidatorMapper,
  celebrateMapper,
  openApiValidatorMapper,
  // valibot, arktype, any Standard Schema failure: after zod, whose errors keep their own mapper.
  standardSchemaMapper,
  boomMapper,
  // fetch/undici failures on the way to an upstream: network_connection_failure, …
  (registry, normalize) => fetchFailureMapper(registry, { normalize }),
]);

export interface MapperOptions {
  /** The service's own mappers, tried first, in order. */
  mappers?: readonly ErrorMapper[];
  /** The built-in mappers, tried after `mappers`: a list to replace them, or false for none. Default: BUILT_IN_MAPPERS. */
  builtInMappers?: readonly ErrorMapperFactory[] | false;
}

/**
 * Checks the mapper options and builds every mapper for the registry now.
 * Throws a TypeError naming the option that is wrong.
 */
export function resolveMappers(registry: RegistryView, normalize: Normalize, options: MapperOptions): readonly ErrorMapper[] {
  const { mappers = [], builtInMappers = BUILT_IN_MAPPERS } = options;
  if (!Array.isArray(mappers)) throw new TypeError('mappers option must be an array of functions');
  mappers.forEach((mapper: unknown, index) => {
    if (typeof mapper !== 'function') throw new TypeError(`mappers[${index}] must be a function (thrown) => EnhancedError | undefined`);
  });
  if (builtInMappers !== false && !Array.isArray(builtInMappers))
    throw new TypeError('builtInMappers option must be an array of mapper factories or false');
  const builtIn = (builtInMappers || []).map((factory: unknown, index) => {
    if (typeof factory !== 'function') throw new TypeError(`builtInMappers[${index}] must be a function (registry, normalize) => mapper`);
    const mapper: unknown = (factory as ErrorMapperFactory)(registry, normalize);
    if (typeof mapper !== 'function') throw new TypeError(`builtInMappers[${index}] must return a function`);
    return readingSafely(mapper as ErrorMapper);
  });
  return Object.freeze([...mappers, ...builtIn]);
}

/**
 * A built-in mapper reads a value it did not make: a getter or a Proxy trap
 * that throws is the thrown value's doing, not the mapper's, so the value is
 * left to the built-in normalization (which treats it as unknown).
 */
function readingSafely(mapper: ErrorMapper): ErrorMapper {
  return (thrown) => {
    try {
      return mapper(thrown);
    } catch {
      return undefined;
    }
  };
}

/** `instanceof` runs a Proxy's getPrototypeOf trap, which may throw. */
function isEnhancedErrorSafely(thrown: unknown): boolean {
  try {
    return thrown instanceof EnhancedError;
  } catch {
    return false;
  }
}

/**
 * The normalization with mappers first. An EnhancedError is already mapped;
 * anything else is offered to each mapper in turn. A mapper that throws or
 * returns something other than an EnhancedError is broken: the client gets
 * the safe 500 `internal_error`, whose `cause` (logged) says which mapper.
 */
export function withMappers(normalize: Normalize, mappers: readonly ErrorMapper[]): Normalize {
  if (mappers.length === 0) return normalize;
  return function normalizeMapped(thrown: unknown, responseStatus?: number): EnhancedError {
    if (isEnhancedErrorSafely(thrown)) return normalize(thrown);
    for (const [index, mapper] of mappers.entries()) {
      let mapped: unknown;
      try {
        mapped = mapper(thrown);
      } catch (failure) {
        return normalize(new MapperFailure(`mapper #${index} (in the order tried) threw`, thrown, failure));
      }
      if (mapped === undefined) continue;
      if (isEnhancedErrorSafely(mapped)) return normalize(mapped as EnhancedError);
      return normalize(
        new MapperFailure(
          `mapper #${index} (in the order tried) returned something other than an EnhancedError or undefined`,
          thrown,
          mapped,
        ),
      );
    }
    return normalize(thrown, responseStatus);
  };
}

/** What a broken mapper leaves: a 500 for the client, the details for the log. */
class MapperFailure extends Error {
  override readonly name = 'MapperFailure';
  readonly thrown: unknown;

  constructor(what: string, thrown: unknown, cause: unknown) {
    super(`express-enhanced-errors: ${what}`, { cause });
    this.thrown = thrown;
  }
}
