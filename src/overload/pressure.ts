import type { LoadReadings } from './monitor';

// The load shedder's rules as plain functions of what it knows: whether a
// request arriving now is shed, which limit sheds it, and how long to ask the
// client to wait. No timer, no clock of their own.

export type LoadLimitName = 'eventLoopDelay' | 'heapUsed' | 'rss' | 'inFlight';

/** The monitor's condition: `ok`; `failed` (its sampler threw or returned garbage); `stale` (no reading for `staleAfter`); `stopped`. */
export type MonitorStatus = 'ok' | 'failed' | 'stale' | 'stopped';

/** Each limit as applied: a positive number, or `false` when not applied. */
export interface LimitValues {
  readonly maxEventLoopDelay: number | false;
  readonly maxHeapUsedBytes: number | false;
  readonly maxRssBytes: number | false;
  readonly maxInFlight: number | false;
}

/** What the load is known to be: the shedder keeps one of these and updates it in place. */
export interface Load {
  readonly limits: LimitValues;
  /** Milliseconds after which the readings no longer shed, and past which the event loop's lag is taken for a stopped timer. */
  readonly staleAfter: number;
  /** The last readings (none after a failed one). */
  readonly readings: LoadReadings;
  /** When they were taken, on the clock `now` reads; undefined before the first. */
  readonly sampledAt: number | undefined;
  /** As the sampler left it: whether the monitor is `stale` is worked out here, from the readings' age. */
  readonly monitor: Exclude<MonitorStatus, 'stale'>;
  /** Requests admitted and not yet answered, the one arriving not counted. */
  readonly inFlight: number;
}

/** The verdict for a request arriving now. */
export interface LoadPressure {
  /** Whether it is shed: some limit's pressure is over 1. */
  overloaded: boolean;
  /** The limit furthest exceeded, when overloaded. */
  limit: LoadLimitName | undefined;
  /** The highest reading ÷ its limit (for in-flight, the requests with this one ÷ the limit). */
  pressure: number;
  monitor: MonitorStatus;
}

/** A verdict to write into: a request reuses one. */
export function blankPressure(): LoadPressure {
  return { overloaded: false, limit: undefined, pressure: 0, monitor: 'ok' };
}

/**
 * The pressure rule, for both the per-request decision and `state()`: each
 * limit's pressure is its reading ÷ the limit, and the highest wins (on a tie,
 * the first of in-flight, event-loop delay, heap, RSS, then the loop's current
 * lag). In flight counts the request arriving (`inFlight + 1`). A monitor
 * that failed or stopped sheds nothing by its readings, nor do readings over a
 * limit older than `staleAfter`, nor a lag beyond `staleAfter` (a stopped
 * heartbeat, not load): a broken monitor fails open.
 *
 * `now` is read at most once: always for a `snapshot` (to tell a stale monitor
 * apart), else only when a reading is over its limit, since readings under
 * their limits shed nothing, fresh or not. Writes the verdict into `out` and
 * returns it, so that a request allocates nothing.
 *
 * @example
 * const load = { limits: { maxEventLoopDelay: 100, maxHeapUsedBytes: false, maxRssBytes: false, maxInFlight: 10 },
 *   staleAfter: 5000, readings: { eventLoopDelayMs: 150 }, sampledAt: 1000, monitor: 'ok', inFlight: 3 } as const;
 * loadPressure(load, undefined, () => 2000, blankPressure(), true);
 * // → { overloaded: true, limit: 'eventLoopDelay', pressure: 1.5, monitor: 'ok' }
 */
export function loadPressure(load: Load, lagMs: number | undefined, now: () => number, out: LoadPressure, snapshot: boolean): LoadPressure {
  const { limits, staleAfter, readings, sampledAt, monitor } = load;
  let pressure = 0;
  let limit: LoadLimitName | undefined;
  if (limits.maxInFlight !== false) {
    pressure = (load.inFlight + 1) / limits.maxInFlight;
    limit = 'inFlight';
  }

  let byReadings = 0;
  let readingsLimit: LoadLimitName | undefined;
  if (monitor === 'ok') {
    const delay = ratio(readings.eventLoopDelayMs, limits.maxEventLoopDelay);
    const heap = ratio(readings.heapUsedBytes, limits.maxHeapUsedBytes);
    const rss = ratio(readings.rssBytes, limits.maxRssBytes);
    byReadings = Math.max(delay, heap, rss);
    readingsLimit = byReadings === delay ? 'eventLoopDelay' : byReadings === heap ? 'heapUsed' : 'rss';
  }
  const time = snapshot || byReadings > 1 ? now() : undefined;
  const old = time !== undefined && (sampledAt === undefined || time - sampledAt > staleAfter);
  if (byReadings > 1 && old) byReadings = 0;
  if (byReadings > pressure) {
    pressure = byReadings;
    limit = readingsLimit;
  }

  const byLag = lagMs === undefined || lagMs > staleAfter ? 0 : ratio(lagMs, limits.maxEventLoopDelay);
  if (byLag > pressure) {
    pressure = byLag;
    limit = 'eventLoopDelay';
  }

  out.overloaded = pressure > 1;
  out.limit = pressure > 1 ? limit : undefined;
  out.pressure = pressure;
  out.monitor = monitor === 'ok' && old && sampledAt !== undefined ? 'stale' : monitor;
  return out;
}

/** A reading ÷ its limit; 0 when not measured or not applied. */
function ratio(reading: number | undefined, limit: number | false): number {
  return reading === undefined || limit === false ? 0 : reading / limit;
}

/**
 * Seconds a shed client should wait: from `min` just over a limit to `max` at
 * twice it or more, then spread by up to half again by `random()` (in [0, 1),
 * like Math.random) so that clients shed together do not come back together;
 * always a whole number within [min, max].
 *
 * @example
 * retryAfterForPressure(1.5, 2, 20, Math.random); // 11 to 17
 * retryAfterForPressure(1.5, 2, 20, () => 0); // 11
 */
export function retryAfterForPressure(pressure: number, min: number, max: number, random: () => number): number {
  const over = Math.min(1, Math.max(0, pressure - 1));
  const base = min + (max - min) * over;
  const jittered = Math.ceil(base * (1 + 0.5 * random()));
  return Math.min(max, Math.max(min, jittered));
}
