/**
 * express-enhanced-errors: what every user needs. Features live in subpaths:
 * `/items`, `/catalogs`, `/formats`, `/docs`, `/logging` and `/client`.
 */
export { ACTIONS, isAction } from './core/registry/actions';
export { createRegistry, type CreateInit, type Registry, type RegistryOptions, type RegistryView } from './core/registry/registry';
export { passRegistry } from './core/catalogs/pass-registry';
export { genericErrorCodes } from './core/catalogs/additions';
export { adobePassOptions } from './core/catalogs/adobe-pass';
export { EnhancedError, isEnhancedError, type EnhancedErrorOptions } from './core/error/enhanced-error';
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
export type { Action, CodeDefinition, CodeOf, Definitions, ErrorHeaders, RegistryEntry, StatusOf, StatusSpec } from './core/shared/types';
export type { Envelope } from './core/envelope/envelope';
export type { FieldLimits } from './core/envelope/limits';
export type { StatusCodeMap } from './core/normalize/normalize';
export type { LocalizedMessages, MessageCatalog } from './core/locale/messages';
export type { FormattedItem, Formatter, ItemValue } from './core/formats/formatter';
export type { ErrorMiddleware, HelpUrlOption, HttpRequest, HttpResponse, NextFunction } from './adapters/http';
export type { FieldError } from './core/error/field-errors';
export type { ErrorMapper } from './core/normalize/mappers/types';
