import { getHeapStatistics } from 'node:v8';
import type { EnhancedError } from '../error/enhanced-error';
import type { Formatter } from '../formats/formatter';
import { writeAnswer } from '../adapters/node/write-answer';
import { settleRequestIds } from '../core/answer/request-view';
import { keepRequestIds, requestViewOf } from '../adapters/express/request-context';
import type { HttpRequest, HttpResponse, NextFunction } from '../http';
import { localizeMessage } from '../locale/localize';
import { errorForStatus } from '../normalize/status-code';
import { createErrorPipeline, type EnhancedErrorHandlerOptions, type ErrorPipeline, safeReport } from '../adapters/express/pipeline';
import { isRetryAfter } from '../registry/validate';
import { checkReadings, defaultSampler, type LoadReadings, type LoadSampler, type SamplerHandle } from './monitor';
import { type PrebuiltShed, prebuildSheds, shedAnswer } from './shed-response';

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
}

export type LoadLimitName = 'eventLoopDelay' | 'heapUsed' | 'rss' | 'inFlight';

/** The monitor's condition: `ok`; `failed` (its sampler threw or returned garbage); `stale` (no reading for `staleAfter`); `stopped`. */
export type MonitorStatus = 'ok' | 'failed' | 'stale' | 'stopped';

/** A snapshot for a health route. */
export interface LoadSheddingState {
  /** Whether a request arriving now would be shed. */
  overloaded: boolean;
  /** The limit furthest exceeded, when overloaded. */
  limit: LoadLimitName | undefined;
  /** How far over: the highest reading ÷ its limit (≥ 1 when overloaded). */
  pressure: number;
  inFlight: number;
  readings: LoadReadings;
  /**
   * How late the built-in monitor's 10 ms heartbeat is now, in ms: the delay of the loop
   * iteration under way, which sheds as soon as it passes `maxEventLoopDelay`, before the
   * next reading. Undefined with a `sampler`, without that limit, or once stopped.
   */
  eventLoopLagMs: number | undefined;
  /** When the readings were taken (ms since the epoch), or undefined before the first. */
  sampledAt: number | undefined;
  monitor: MonitorStatus;
  limits: { maxEventLoopDelay: number | false; maxHeapUsedBytes: number | false; maxRssBytes: number | false; maxInFlight: number | false };
  /** Requests shed since start-up. */
  shed: number;
}

/**
 * The middleware, mounted before every route, plus what a service needs
 * around it.
 */
export interface LoadShedding {
  (req: HttpRequest, res: HttpResponse, next: NextFunction): void;
  /**
   * Wraps a request listener (e.g. the Express app), for shedding before the
   * framework sees the request; the wrapper has the listener's own type
   * (Node's server calls it with its request and response).
   */
  wrap<L extends (req: never, res: never) => void>(listener: L): L;
  state(): LoadSheddingState;
  /** Stops the monitor's timer and histogram; from then on only `maxInFlight` sheds. */
  stop(): void;
}

const DEFAULT_MAX_EVENT_LOOP_DELAY = 100;
const DEFAULT_HEAP_FRACTION = 0.9;
const DEFAULT_SAMPLE_INTERVAL = 500;
const DEFAULT_REPORT_INTERVAL = 1000;
const DEFAULT_MIN_RETRY_AFTER = 1;
const DEFAULT_MAX_RETRY_AFTER = 30;
/** The histogram's resolution: finer costs more timer wake-ups for nothing a limit needs. */
const EVENT_LOOP_RESOLUTION = 10;

/**
 * Load shedding: while the service is over a limit, every request gets the
 * registry's "service unavailable" error at once, with a Retry-After that
 * grows with how far over it is (jittered), negotiated like every other
 * error. Takes the handler's options, so that one options object serves both.
 *
 * @example
 * const options = { registry: passRegistry, onError: logErrors(logger) };
 * const shedding = loadShedding({ ...options, maxEventLoopDelay: 200, maxInFlight: 500 });
 * app.get('/health', (_req, res) => res.json(shedding.state()));
 * app.use(shedding);
 * // routes…
 * app.use(enhancedErrorHandler(options));
 * server.on('close', () => shedding.stop());
 */
export function loadShedding(options: LoadSheddingOptions = {}): LoadShedding {
  const pipeline = createErrorPipeline(options);
  const limits = {
    maxEventLoopDelay: limitOption('maxEventLoopDelay', options.maxEventLoopDelay, DEFAULT_MAX_EVENT_LOOP_DELAY),
    maxHeapUsedBytes: limitOption(
      'maxHeapUsedBytes',
      options.maxHeapUsedBytes,
      Math.floor(getHeapStatistics().heap_size_limit * DEFAULT_HEAP_FRACTION),
    ),
    maxRssBytes: limitOption('maxRssBytes', options.maxRssBytes, false),
    maxInFlight: limitOption('maxInFlight', options.maxInFlight, false, true),
  };
  const sampleInterval = durationOption('sampleInterval', options.sampleInterval, DEFAULT_SAMPLE_INTERVAL);
  const staleAfter = durationOption('staleAfter', options.staleAfter, Math.max(5000, 10 * sampleInterval));
  const reportInterval = durationOption('reportInterval', options.reportInterval, DEFAULT_REPORT_INTERVAL, true);
  const minRetryAfter = options.minRetryAfter ?? DEFAULT_MIN_RETRY_AFTER;
  const maxRetryAfter = options.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER;
  if (!isRetryAfter(minRetryAfter)) throw new TypeError('minRetryAfter option must be a non-negative integer of seconds');
  if (!isRetryAfter(maxRetryAfter) || maxRetryAfter < minRetryAfter) {
    throw new TypeError('maxRetryAfter option must be an integer of seconds, at least minRetryAfter');
  }
  if (options.sampler !== undefined && typeof options.sampler !== 'function') throw new TypeError('sampler option must be a function');

  const error = unavailableError(pipeline, options.code);
  const prebuilt = prebuildSheds(pipeline, error);
  const fallbackAnswer = prebuilt
    .get(pipeline.formatters[0] as Formatter)
    ?.values()
    .next().value;
  const retryAfterValues = Array.from({ length: maxRetryAfter + 1 }, (_, seconds) => String(seconds));

  const sampled = limits.maxEventLoopDelay !== false || limits.maxHeapUsedBytes !== false || limits.maxRssBytes !== false;
  const sampler: SamplerHandle | undefined = !sampled
    ? undefined
    : options.sampler !== undefined
      ? { sample: options.sampler, stop() {} }
      : defaultSampler(
          { eventLoopDelay: limits.maxEventLoopDelay !== false, memory: limits.maxHeapUsedBytes !== false || limits.maxRssBytes !== false },
          EVENT_LOOP_RESOLUTION,
        );

  let readings: LoadReadings = {};
  let sampledAt: number | undefined;
  let monitor: MonitorStatus = 'ok';
  /** From the last reading: the furthest exceeded limit and by how much; pressure < 1 means under every limit. */
  let sampledPressure = 0;
  let sampledLimit: LoadLimitName | undefined;
  let inFlight = 0;
  let shedCount = 0;
  let unreported = 0;
  let lastReportAt = Number.NEGATIVE_INFINITY;
  let monitorFailureLogged = false;

  function takeReading(): void {
    if (sampler === undefined) return;
    let next: LoadReadings | undefined;
    try {
      next = checkReadings(sampler.sample());
    } catch {
      next = undefined;
    }
    if (next === undefined) {
      // Fail open: with no trustworthy reading, only maxInFlight can shed.
      monitor = 'failed';
      readings = {};
      sampledPressure = 0;
      sampledLimit = undefined;
      if (!monitorFailureLogged && pipeline.report !== undefined) {
        monitorFailureLogged = true;
        process.stderr.write('express-enhanced-errors: the load monitor failed; load shedding by its readings is off until it recovers\n');
      }
      return;
    }
    monitor = 'ok';
    monitorFailureLogged = false;
    readings = next;
    sampledAt = Date.now();
    sampledPressure = 0;
    sampledLimit = undefined;
    const consider = (name: LoadLimitName, value: number | undefined, limit: number | false) => {
      if (value === undefined || limit === false) return;
      const pressure = value / limit;
      if (pressure > sampledPressure) {
        sampledPressure = pressure;
        sampledLimit = name;
      }
    };
    consider('eventLoopDelay', next.eventLoopDelayMs, limits.maxEventLoopDelay);
    consider('heapUsed', next.heapUsedBytes, limits.maxHeapUsedBytes);
    consider('rss', next.rssBytes, limits.maxRssBytes);
  }

  let timer: NodeJS.Timeout | undefined;
  if (sampler !== undefined) {
    takeReading();
    timer = setInterval(takeReading, sampleInterval);
    timer.unref();
  }

  /**
   * The event-loop delay limit's pressure from the monitor's heartbeat, right now; 0 without
   * one, and when the heartbeat is so late that it must have stopped (fail open).
   */
  function lagPressure(): number {
    const lag = sampler?.lagMs?.();
    if (lag === undefined || limits.maxEventLoopDelay === false || lag > staleAfter) return 0;
    return lag / limits.maxEventLoopDelay;
  }

  /** The readings' pressure if they still count, else 0: a stalled monitor sheds nothing. */
  function currentSampledPressure(now: number): number {
    if (sampledPressure <= 1) return sampledPressure;
    if (sampledAt === undefined || now - sampledAt > staleAfter) {
      if (monitor === 'ok') monitor = 'stale';
      return 0;
    }
    return sampledPressure;
  }

  /** Seconds to wait: from minRetryAfter just over a limit to maxRetryAfter at twice it, spread by up to half again. */
  function retryAfterFor(pressure: number): string {
    const over = Math.min(1, Math.max(0, pressure - 1));
    const base = minRetryAfter + (maxRetryAfter - minRetryAfter) * over;
    const jittered = Math.ceil(base * (1 + 0.5 * Math.random()));
    return retryAfterValues[Math.min(maxRetryAfter, Math.max(minRetryAfter, jittered))] ?? String(maxRetryAfter);
  }

  /** Answers the request with the shed error when over a limit; true when it did. */
  function shedIfOverloaded(req: HttpRequest, res: HttpResponse): boolean {
    let pressure = 0;
    let limit: LoadLimitName | undefined;
    if (limits.maxInFlight !== false && inFlight >= limits.maxInFlight) {
      pressure = (inFlight + 1) / limits.maxInFlight;
      limit = 'inFlight';
    }
    if (sampledPressure > 1) {
      const now = Date.now();
      const fromReadings = currentSampledPressure(now);
      if (fromReadings > 1 && fromReadings > pressure) {
        pressure = fromReadings;
        limit = sampledLimit;
      }
    }
    const fromLag = lagPressure();
    if (fromLag > 1 && fromLag > pressure) {
      pressure = fromLag;
      limit = 'eventLoopDelay';
    }
    if (limit !== undefined) {
      try {
        shed(req, res, pressure, limit);
        return true;
      } catch (failure) {
        // Only a broken formatter or response gets here. Before anything was sent the
        // request is admitted (fail open); after, the response cannot be saved.
        process.stderr.write(
          `express-enhanced-errors: shedding a request failed: ${failure instanceof Error ? failure.message : 'non-error thrown'}\n`,
        );
        if (res.headersSent) {
          res.destroy();
          return true;
        }
      }
    }
    inFlight++;
    // 'close' comes once per response, whether it finished or the client went away.
    res.once('close', () => {
      inFlight--;
    });
    return false;
  }

  function shed(req: HttpRequest, res: HttpResponse, pressure: number, limit: LoadLimitName): void {
    shedCount++;
    const request = requestViewOf(req, res);
    const ids = settleRequestIds(request, pipeline.ids);
    const { requestId, trace } = ids;
    keepRequestIds(res, ids);
    const formatter = pipeline.negotiate(request);
    const byLanguage = prebuilt.get(formatter);
    // The message's language as the handler would choose it; the default one when the registry has one language.
    const localized = byLanguage !== undefined && byLanguage.size > 1 ? localizeMessage(error, request) : undefined;
    // negotiate only ever returns a configured formatter, and each has an answer in every language.
    const answer = (byLanguage?.get(localized?.locale ?? '') ?? byLanguage?.values().next().value ?? fallbackAnswer) as PrebuiltShed;
    // The head goes out in one write, the id header with it.
    writeAnswer(res, shedAnswer(pipeline, answer, ids, retryAfterFor(pressure), localized?.varies === true), { headInOneWrite: true });
    if (pipeline.report !== undefined) reportShed(req, res, answer, requestId, trace, pressure, limit);
  }

  /** At most one report per reportInterval, so that logging does not add to the load it reports. */
  function reportShed(
    req: HttpRequest,
    res: HttpResponse,
    answer: PrebuiltShed,
    requestId: string,
    trace: string,
    pressure: number,
    limit: LoadLimitName,
  ): void {
    const now = Date.now();
    if (now - lastReportAt < reportInterval) {
      unreported++;
      return;
    }
    lastReportAt = now;
    const cause = new LoadShedReason(`shed: ${limit} at ${pressure.toFixed(2)}× its limit; ${unreported} more shed since the last report`);
    unreported = 0;
    const reported = pipeline.registry.create(error.code, { status: 503, cause });
    if (pipeline.report !== undefined)
      safeReport(pipeline.report, reported, { req, res, envelope: { ...answer.envelope, trace }, requestId, trace });
  }

  const middleware = function loadShedding(req: HttpRequest, res: HttpResponse, next: NextFunction): void {
    if (!shedIfOverloaded(req, res)) next();
  } as LoadShedding;
  middleware.wrap = <L extends (req: never, res: never) => void>(listener: L): L => {
    const listen = listener as unknown as (req: HttpRequest, res: HttpResponse) => void;
    return function shedThenListen(req: HttpRequest, res: HttpResponse) {
      if (!shedIfOverloaded(req, res)) listen(req, res);
    } as unknown as L;
  };
  middleware.state = () => {
    const now = Date.now();
    if (monitor === 'ok' && sampledAt !== undefined && now - sampledAt > staleAfter) monitor = 'stale';
    const fromLag = lagPressure();
    const fromReadings = currentSampledPressure(now);
    const pressureNow = Math.max(fromReadings, fromLag);
    const inFlightPressure = limits.maxInFlight === false ? 0 : (inFlight + 1) / limits.maxInFlight;
    const byInFlight = inFlightPressure > 1 && inFlightPressure >= pressureNow;
    const pressure = Math.max(pressureNow, inFlightPressure);
    return {
      overloaded: pressure > 1,
      limit: pressure <= 1 ? undefined : byInFlight ? 'inFlight' : fromLag > fromReadings ? 'eventLoopDelay' : sampledLimit,
      pressure,
      inFlight,
      readings: { ...readings },
      eventLoopLagMs: sampler?.lagMs?.(),
      sampledAt,
      monitor,
      limits: { ...limits },
      shed: shedCount,
    };
  };
  middleware.stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    sampler?.stop();
    monitor = 'stopped';
    sampledPressure = 0;
    sampledLimit = undefined;
  };
  return middleware;
}

/** Why a request was shed: the `cause` of the reported error, with no stack (where it was made says nothing). */
class LoadShedReason extends Error {
  override name = 'LoadShedReason';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
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
