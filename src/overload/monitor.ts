import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The histogram's resolution: finer costs more timer wake-ups for nothing a limit needs. */
const EVENT_LOOP_RESOLUTION = 10;

/** What the process looks like now; a field left out is not measured (its limit is not applied). */
export interface LoadReadings {
  /** Mean event-loop delay over the last sampling interval, in milliseconds. */
  eventLoopDelayMs?: number;
  heapUsedBytes?: number;
  rssBytes?: number;
}

/**
 * Takes one reading. Called on a timer, never per request. Throwing, or
 * returning something that is not readings, counts as a failed monitor.
 */
export type LoadSampler = () => LoadReadings | undefined;

/** A sampler and what it holds open. */
export interface SamplerHandle {
  sample: LoadSampler;
  /**
   * How late the event loop is right now, in ms: known inside a long loop iteration,
   * which holds the next reading back. Undefined when not measured or once stopped.
   */
  lagMs?(): number | undefined;
  stop(): void;
}

/**
 * What takes the readings the limits need: the caller's sampler, else the
 * built-in monitor measuring only those; none when no limit needs a reading.
 */
export function samplerFor(
  limits: { readonly maxEventLoopDelay: number | false; readonly maxHeapUsedBytes: number | false; readonly maxRssBytes: number | false },
  custom: LoadSampler | undefined,
): SamplerHandle | undefined {
  const delay = limits.maxEventLoopDelay !== false;
  const memory = limits.maxHeapUsedBytes !== false || limits.maxRssBytes !== false;
  if (!delay && !memory) return undefined;
  if (custom !== undefined) return { sample: custom, stop() {} };
  return defaultSampler({ eventLoopDelay: delay, memory }, EVENT_LOOP_RESOLUTION);
}

/**
 * The default sampler: `monitorEventLoopDelay` for the delay (its mean since
 * the previous reading, less the histogram's own resolution, as
 * @fastify/under-pressure does) and `process.memoryUsage()` for heap and RSS.
 * Only what a limit needs is measured: `memoryUsage()` walks the heap's spaces
 * and reads /proc, which is not free.
 */
export function defaultSampler(measure: { eventLoopDelay: boolean; memory: boolean }, resolutionMs: number): SamplerHandle {
  const histogram = measure.eventLoopDelay ? monitorEventLoopDelay({ resolution: resolutionMs }) : undefined;
  histogram?.enable();
  // A heartbeat at the histogram's resolution: how late it is now is the delay of the
  // iteration under way, which the histogram only records once that iteration ends.
  let beatAt = performance.now();
  let heartbeat: NodeJS.Timeout | undefined;
  if (measure.eventLoopDelay) {
    heartbeat = setInterval(() => {
      beatAt = performance.now();
    }, resolutionMs);
    heartbeat.unref();
  }
  return {
    lagMs: () => (heartbeat === undefined ? undefined : Math.max(0, performance.now() - beatAt - resolutionMs)),
    sample() {
      const readings: LoadReadings = {};
      if (histogram !== undefined) {
        // A histogram with no samples yet has a NaN mean: no reading, rather than 0.
        const mean = histogram.mean / 1e6;
        if (Number.isFinite(mean)) readings.eventLoopDelayMs = Math.max(0, mean - resolutionMs);
        histogram.reset();
      }
      if (measure.memory) {
        const { heapUsed, rss } = process.memoryUsage();
        readings.heapUsedBytes = heapUsed;
        readings.rssBytes = rss;
      }
      return readings;
    },
    stop() {
      histogram?.disable();
      clearInterval(heartbeat);
      heartbeat = undefined;
    },
  };
}

/** The readings a sampler returned, or undefined when they are not readings at all. */
export function checkReadings(value: unknown): LoadReadings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const readings: LoadReadings = {};
  for (const key of ['eventLoopDelayMs', 'heapUsedBytes', 'rssBytes'] as const) {
    const reading: unknown = (value as Record<string, unknown>)[key];
    if (reading === undefined) continue;
    if (typeof reading !== 'number' || !Number.isFinite(reading) || reading < 0) return undefined;
    readings[key] = reading;
  }
  return readings;
}
