import { getHeapStatistics } from 'node:v8';
import type { EnhancedError } from '../core/error/enhanced-error';
import { errorForStatus } from '../core/normalize/status-code';
import type { EnhancedErrorHandlerOptions, ErrorPipeline } from '../adapters/express/pipeline';
import { isRetryAfter } from '../core/registry/validate';
import type { LoadSampler } from './monitor';
import type { LimitValues } from './pressure';

/** The limits; each is a number, `false` (not applied) or left out (its default). */
export interface LoadLimits {
  /** Mean event-loop delay, in milliseconds. Default: 100. */
  maxEventLoopDelay?: number | false;
  /** V8 heap in use, in bytes. Default: 90% of V8's heap size limit. */
  maxHeapUsedBytes?: number | false;
  /** Resident set size, in bytes. Default: not applied (only the deployment knows its memory limit). */
  maxRssBytes?: number | false;
  /** Requests admitted and not yet answered. Default: not applied. */
  maxInFlight?: number | false;
}

export interface LoadSheddingOptions extends EnhancedErrorHandlerOptions, LoadLimits {
  /**
   * The registry code answered. Default: the code a thrown 503 normalizes to
   * (`service_unavailable` in the Pass catalog, `service_unavailable_1004` in
   * Vimond's). Checked now: it must exist and allow status 503.
   */
  code?: string;
  /** Milliseconds between readings of the monitor. Default: 500. */
  sampleInterval?: number;
  /**
   * Milliseconds after which the last reading no longer counts: a monitor
   * that stopped reporting sheds nothing (fails open). Default: 10 readings, at least 5,000.
   */
  staleAfter?: number;
  /** Takes the readings instead of the default monitor (event-loop delay histogram, `process.memoryUsage()`). */
  sampler?: LoadSampler;
  /** Retry-After bounds in seconds: the least (just over a limit) and the most (twice a limit or more). Default: 1 and 30. */
  minRetryAfter?: number;
  maxRetryAfter?: number;
  /** Milliseconds between two shed requests reported to onError/the log; those in between are counted. Default: 1,000. */
  reportInterval?: number;
  /**
   * As for the handler (the default log of shed requests when no onError is given), and also the
   * shedder's own lines on stderr: its monitor failed, a shed answer could not be written.
   * `false`: nothing on stderr, whether onError is given or not. Default: true.
   */
  log?: boolean;
}

/** Every load shedding option checked, with its default filled in. */
export interface SheddingSettings {
  readonly limits: LimitValues;
  readonly sampleInterval: number;
  readonly staleAfter: number;
  readonly reportInterval: number;
  readonly minRetryAfter: number;
  readonly maxRetryAfter: number;
  /** The caller's sampler, or undefined for the built-in monitor. */
  readonly sampler: LoadSampler | undefined;
  /** The error every shed request is answered with (the `code` option, or the registry's for a thrown 503). */
  readonly error: EnhancedError;
}

const DEFAULT_MAX_EVENT_LOOP_DELAY = 100;
const DEFAULT_HEAP_FRACTION = 0.9;
const DEFAULT_SAMPLE_INTERVAL = 500;
const DEFAULT_REPORT_INTERVAL = 1000;
const DEFAULT_MIN_RETRY_AFTER = 1;
const DEFAULT_MAX_RETRY_AFTER = 30;
/** Readings missed before the last one no longer counts, and the least staleAfter by default. */
const STALE_READINGS = 10;
const MIN_DEFAULT_STALE_AFTER = 5000;

/**
 * Reads the load shedding options on the pipeline built from the same options:
 * a TypeError naming the first bad one, else the settings, frozen.
 */
export function sheddingSettings(options: LoadSheddingOptions, pipeline: ErrorPipeline): SheddingSettings {
  const limits: LimitValues = Object.freeze({
    maxEventLoopDelay: limitOption('maxEventLoopDelay', options.maxEventLoopDelay, DEFAULT_MAX_EVENT_LOOP_DELAY),
    maxHeapUsedBytes: limitOption(
      'maxHeapUsedBytes',
      options.maxHeapUsedBytes,
      Math.floor(getHeapStatistics().heap_size_limit * DEFAULT_HEAP_FRACTION),
    ),
    maxRssBytes: limitOption('maxRssBytes', options.maxRssBytes, false),
    maxInFlight: limitOption('maxInFlight', options.maxInFlight, false, true),
  });
  const sampleInterval = durationOption('sampleInterval', options.sampleInterval, DEFAULT_SAMPLE_INTERVAL);
  const staleAfter = durationOption('staleAfter', options.staleAfter, Math.max(MIN_DEFAULT_STALE_AFTER, STALE_READINGS * sampleInterval));
  const reportInterval = durationOption('reportInterval', options.reportInterval, DEFAULT_REPORT_INTERVAL, true);
  const minRetryAfter = options.minRetryAfter ?? DEFAULT_MIN_RETRY_AFTER;
  const maxRetryAfter = options.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER;
  if (!isRetryAfter(minRetryAfter)) throw new TypeError('minRetryAfter option must be a non-negative integer of seconds');
  if (!isRetryAfter(maxRetryAfter) || maxRetryAfter < minRetryAfter) {
    throw new TypeError('maxRetryAfter option must be an integer of seconds, at least minRetryAfter');
  }
  if (options.sampler !== undefined && typeof options.sampler !== 'function') throw new TypeError('sampler option must be a function');
  return Object.freeze({
    limits,
    sampleInterval,
    staleAfter,
    reportInterval,
    minRetryAfter,
    maxRetryAfter,
    sampler: options.sampler,
    // The pipeline has checked that it is a boolean when given.
    error: unavailableError(pipeline, options.code),
  });
}

/** The registry's error for an unavailable service, found as the handler finds it for a thrown 503. */
function unavailableError(pipeline: ErrorPipeline, code: string | undefined): EnhancedError {
  const { registry } = pipeline;
  if (code !== undefined) {
    const entry = typeof code === 'string' ? registry.get(code) : undefined;
    if (entry === undefined) throw new TypeError(`code option: ${registry.name} has no code ${JSON.stringify(code)}`);
    if (!entry.statuses.includes(503))
      throw new TypeError(`code option: code "${code}" does not allow status 503 (allowed: ${entry.statuses.join(', ')})`);
    return registry.create(code, { status: 503 });
  }
  return errorForStatus('loadShedding', registry, pipeline.normalize, 503);
}

function limitOption(name: string, value: unknown, fallback: number | false, integer = false): number | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${name} option must be ${integer ? 'a positive integer' : 'a positive number'} or false, got ${String(value)}`);
  }
  return value;
}

function durationOption(name: string, value: unknown, fallback: number, zeroAllowed = false): number {
  if (value === undefined) return fallback;
  // setInterval takes at most 2^31 - 1 ms.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (zeroAllowed ? 0 : 1) || value > 2 ** 31 - 1) {
    throw new TypeError(`${name} option must be a whole number of milliseconds${zeroAllowed ? '' : ' above 0'}, got ${String(value)}`);
  }
  return value;
}
