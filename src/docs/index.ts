/**
 * `express-enhanced-errors/docs`: a registry as documentation, i.e. an HTML
 * and JSON catalog page, a Markdown table and OpenAPI components.
 */
export { catalogRouter, type CatalogMiddleware, type CatalogRouterOptions } from './catalog-router';
export type { Catalog, CatalogCode } from './catalog-data';
export { catalogMarkdown, type CatalogMarkdownOptions } from './markdown';
export { openApiComponents, type JsonObject, type JsonValue, type OpenApiComponents, type OpenApiOptions } from './openapi';
