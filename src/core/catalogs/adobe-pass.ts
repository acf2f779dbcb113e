/** The request id header the Adobe Pass specification puts on every response. */
export const ADOBE_REQUEST_ID_HEADER = 'Adobe-Request-Id';

/**
 * The handler options that make a service answer as the Adobe Pass
 * specification shows: every response carries `Adobe-Request-Id` (the
 * request id reported with `trace`). The `helpUrl` of every spec code, the
 * specification's own page, comes from the Pass registries themselves.
 * Spread it and override what differs.
 *
 * @example
 * app.use(enhancedErrorHandler({ ...adobePassOptions, registry: passRestV2Registry }));
 */
export const adobePassOptions = Object.freeze({ requestIdHeader: ADOBE_REQUEST_ID_HEADER } as const);
