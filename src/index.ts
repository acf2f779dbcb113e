/**
 * express-enhanced-errors: what every user needs. Features live in subpaths:
 * `/items`, `/catalogs`, `/formats`, `/docs`, `/logging` and `/client`.
 */
export { ACTIONS, isAction } from './registry/actions';
export { createRegistry, type CreateInit, type Registry, type RegistryOptions, type RegistryView } from './registry/registry';
export { passRegistry } from './catalogs/pass-registry';
export { genericErrorCodes } from './catalogs/additions';
export { adobePassOptions } from './presets/adobe-pass';
export { EnhancedError, isEnhancedError, type EnhancedErrorOptions } from './error/enhanced-error';
export {
  enhancedErrorHandler,
  notFoundHandler,
  requestContext,
  requestContextOf,
  type EnhancedErrorHandlerOptions,
  type ErrorContext,
  type NotFoundOptions,
  type OnError,
  type RequestContextOptions,
  type RequestIds,
  type RequestMiddleware,
} from './adapters/express';
export type { Action, CodeDefinition, CodeOf, Definitions, ErrorHeaders, RegistryEntry, StatusOf, StatusSpec } from './types';
export type { Envelope } from './envelope/envelope';
export type { FieldLimits } from './envelope/limits';
export type { StatusCodeMap } from './normalize/normalize';
export type { LocalizedMessages, MessageCatalog } from './locale/messages';
export type { FormattedItem, Formatter, ItemValue } from './formats/formatter';
export type { ErrorMiddleware, HelpUrlOption, HttpRequest, HttpResponse, NextFunction } from './http';
export type { FieldError } from './error/field-errors';
export type { ErrorMapper } from './normalize/mappers/types';
