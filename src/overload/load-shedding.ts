import type { Formatter } from '../core/formats/formatter';
import { writeAnswer } from '../adapters/node/write-answer';
import { settleRequestIds } from '../core/answer/request-view';
import { keepRequestIds, requestViewOf } from '../adapters/express/request-context';
import type { HttpRequest, HttpResponse, NextFunction } from '../adapters/http';
import { localizeMessage } from '../core/locale/localize';
import { createErrorPipeline } from '../adapters/express/pipeline';
import { shedderDiagnostics } from './diagnostics';
import { checkReadings, type LoadReadings, samplerFor } from './monitor';
import { type LoadSheddingOptions, sheddingSettings } from './options';
import { blankPressure, type Load, type LoadLimitName, loadPressure, type MonitorStatus, retryAfterForPressure } from './pressure';
import { type PrebuiltShed, prebuildSheds, shedAnswer } from './shed-response';

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
  const settings = sheddingSettings(options, pipeline);
  const { error, limits, minRetryAfter, maxRetryAfter } = settings;
  const diagnostics = shedderDiagnostics(pipeline, settings);
  const prebuilt = prebuildSheds(pipeline, error);
  const fallbackAnswer = prebuilt
    .get(pipeline.formatters[0] as Formatter)
    ?.values()
    .next().value;
  const retryAfterValues = Array.from({ length: maxRetryAfter + 1 }, (_, seconds) => String(seconds));
  const sampler = samplerFor(limits, settings.sampler);

  // What loadPressure reads, updated in place by the readings and by admitted requests.
  const load: { -readonly [Field in keyof Load]: Load[Field] } = {
    limits,
    staleAfter: settings.staleAfter,
    readings: {},
    sampledAt: undefined,
    monitor: 'ok',
    inFlight: 0,
  };
  // The verdict for the request being decided, reused: deciding allocates nothing.
  const decision = blankPressure();
  let shedCount = 0;

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
      load.monitor = 'failed';
      load.readings = {};
      diagnostics.monitorFailed();
      return;
    }
    load.monitor = 'ok';
    load.readings = next;
    load.sampledAt = Date.now();
    diagnostics.monitorRecovered();
  }

  let timer: NodeJS.Timeout | undefined;
  if (sampler !== undefined) {
    takeReading();
    timer = setInterval(takeReading, settings.sampleInterval);
    timer.unref();
  }

  // 'close' comes once per response, whether it finished or the client went away.
  const release = () => {
    load.inFlight--;
  };

  /** Answers the request with the shed error when over a limit; true when it did. */
  function shedIfOverloaded(req: HttpRequest, res: HttpResponse): boolean {
    const { overloaded, pressure, limit } = loadPressure(load, sampler?.lagMs?.(), Date.now, decision, false);
    if (overloaded) {
      try {
        // An overloaded verdict always names its limit.
        shed(req, res, pressure, limit as LoadLimitName);
        return true;
      } catch (failure) {
        // Only a broken formatter or response gets here. Before anything was sent the
        // request is admitted (fail open); after, the response cannot be saved.
        diagnostics.shedFailed(failure);
        if (res.headersSent) {
          res.destroy();
          return true;
        }
      }
    }
    load.inFlight++;
    res.once('close', release);
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
    const retryAfter =
      retryAfterValues[retryAfterForPressure(pressure, minRetryAfter, maxRetryAfter, Math.random)] ?? String(maxRetryAfter);
    // The head goes out in one write, the id header with it.
    writeAnswer(res, shedAnswer(pipeline, answer, ids, retryAfter, localized?.varies === true), { headInOneWrite: true });
    diagnostics.shed(req, res, answer, requestId, trace, pressure, limit);
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
    const eventLoopLagMs = sampler?.lagMs?.();
    const { overloaded, limit, pressure, monitor } = loadPressure(load, eventLoopLagMs, Date.now, blankPressure(), true);
    return {
      overloaded,
      limit,
      pressure,
      inFlight: load.inFlight,
      readings: { ...load.readings },
      eventLoopLagMs,
      sampledAt: load.sampledAt,
      monitor,
      limits: { ...limits },
      shed: shedCount,
    };
  };
  middleware.stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    sampler?.stop();
    load.monitor = 'stopped';
  };
  return middleware;
}
