/**
 * Load shedding with enhanced errors: `express-enhanced-errors/overload`.
 * While the service is over its limits, requests get the registry's 503 at
 * about the cost of a bare server's, with an adaptive, jittered Retry-After.
 */
export { loadShedding, type LoadShedding, type LoadSheddingState } from './load-shedding';
export type { LoadLimits, LoadSheddingOptions } from './options';
export type { LoadLimitName, MonitorStatus } from './pressure';
export type { LoadReadings, LoadSampler } from './monitor';
