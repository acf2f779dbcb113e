import type { EnhancedError } from '../../error/enhanced-error';
import type { RegistryView } from '../../registry/registry';
import type { Normalize } from '../normalize';

/**
 * Turns one kind of thrown value (a library's error) into an EnhancedError,
 * or returns undefined to leave it to the next mapper. Mappers recognize
 * errors by their shape, so the library itself is never imported.
 */
export type ErrorMapper = (thrown: unknown) => EnhancedError | undefined;

/**
 * Builds a mapper for the registry in use, at start-up: the codes it answers
 * are looked up (and checked) now. `normalize` is the built-in normalization,
 * for a fallback when the registry lacks a code: an http-errors error of the
 * right status run through it answers what any such error would.
 */
export type ErrorMapperFactory = (registry: RegistryView, normalize: Normalize) => ErrorMapper;
