/**
 * The integrations take the error handler's own options, so that one options
 * object gives them and the handler the same registry, statusCodes and mappers.
 */
import { describe } from '../core/shared/describe';
import { createErrorPipeline, type EnhancedErrorHandlerOptions, type ErrorPipeline } from '../adapters/express/pipeline';
import type { RegistryView } from '../core/registry/registry';

/** Checks the handler's options as the handler does, each error prefixed with `where`. */
export function pipelineFor(where: string, options: unknown): ErrorPipeline {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object`);
  const { registry } = options as { registry?: Partial<Record<'create' | 'get' | 'has', unknown>> | null };
  if (
    registry !== undefined &&
    (typeof registry !== 'object' ||
      registry === null ||
      typeof registry.create !== 'function' ||
      typeof registry.get !== 'function' ||
      typeof registry.has !== 'function')
  ) {
    throw new TypeError(`${where}: registry option must be a registry`);
  }
  try {
    return createErrorPipeline(options as EnhancedErrorHandlerOptions);
  } catch (error) {
    if (error instanceof TypeError) throw new TypeError(`${where}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** A code given as an option: it must be a code of the registry. */
export function registryCode(where: string, registry: RegistryView, code: unknown, option: string): string {
  if (typeof code !== 'string' || !registry.has(code)) {
    throw new TypeError(`${where}: ${registry.name} has no code ${describe(code)} (${option} option)`);
  }
  return code;
}

/** `status` when the code allows it, else undefined (the code's own status). */
export function statusIfAllowed(registry: RegistryView, code: string, status: number): number | undefined {
  return registry.get(code)?.statuses.includes(status) === true ? status : undefined;
}
