export { ACTIONS, type Action, isAction } from './registry/actions';
export {
  createRegistry,
  type CodeDefinition,
  type CodeOf,
  type CreateInit,
  type Definitions,
  type Registry,
  type RegistryEntry,
  type RegistryOptions,
  type RegistryView,
  type StatusOf,
  type StatusSpec,
} from './registry/registry';
export { passRegistry, passRestV1Registry, passRestV2Registry, passCodes, passRestV1Codes, passRestV2Codes } from './catalogs';
export { vimondRegistry } from './catalogs';
export {
  vimondCatalog,
  vimondCodes,
  vimondDefinitions,
  vimondStatusCodes,
  type VimondCatalog,
  type VimondCodeDefinition,
  type VimondDefinitions,
} from './catalogs/vimond';
export { passMessagesFr } from './catalogs';
export { DEFAULT_LOCALE, type LocalizedMessages, type MessageCatalog } from './locale/messages';
export { localizeMessage, negotiateLocale, type LocalizedMessage } from './locale/localize';
export { EnhancedError, isEnhancedError, type EnhancedErrorOptions, type ErrorHeaders } from './error/enhanced-error';
export { createNormalizer, DEFAULT_STATUS_CODES, type Normalize, type NormalizeOptions, type StatusCodeMap } from './normalize/normalize';
export { ENVELOPE_FIELDS, type Envelope, type HelpUrlOption } from './envelope/envelope';
export { DEFAULT_FIELD_LIMITS, type FieldLimits } from './envelope/limits';
export type { FormattedItem, Formatter, ItemValue } from './formats/formatter';
export { jsonFormatter } from './formats/json';
export { xmlFormatter } from './formats/xml';
export { problemJsonFormatter, problemXmlFormatter, toProblemDetails, PROBLEM_XML_NAMESPACE, type ProblemDetails } from './formats/problem';
export { createVimondFormatter, vimondFormatter, type VimondError, type VimondIdentity } from './formats/vimond';
export {
  enhancedErrorHandler,
  DEFAULT_RETRY_AFTER,
  type EnhancedErrorHandlerOptions,
  type ErrorContext,
  type OnError,
} from './handler/handler';
export { enhancedErrors, type EnhancedErrors, type EnhancedErrorsOptions } from './handler/enhanced-errors';
export { DEFAULT_MAX_ITEMS, type ItemOptions, type ItemsResponse, type ReadItems, type SendItems } from './items/send-items';
export { planRetry, type RetryPlan, type RetryPlanOptions } from './items/retry';
export type { ErrorMiddleware, HttpRequest, HttpResponse, NextFunction } from './http';
export { catalogRouter, type CatalogMiddleware, type CatalogRouterOptions } from './docs/catalog-router';
export { catalogOf, type Catalog, type CatalogCode } from './docs/catalog-data';
export { catalogMarkdown, type CatalogMarkdownOptions } from './docs/markdown';
export { EXAMPLE_TRACE, openApiComponents, type JsonObject, type JsonValue, type OpenApiComponents, type OpenApiOptions } from './docs/openapi';
export { requestContext, type RequestContextOptions } from './handler/request-context-middleware';
export { requestContextOf, type RequestIds } from './handler/request-context';
export { errorLogFields, logErrors, type ErrorLogFields, type ErrorLogger, type LogErrorsOptions } from './handler/log-errors';
export {
  fetchFailureKind,
  fetchFailureMapper,
  FETCH_FAILURE_CODES,
  FETCH_FAILURE_FALLBACK_STATUS,
  type FetchFailureKind,
  type FetchFailureMapperOptions,
} from './normalize/mappers/fetch';
