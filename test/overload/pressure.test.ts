import type { LoadReadings } from '../../src/overload';
import { blankPressure, type Load, loadPressure, retryAfterForPressure } from '../../src/overload/pressure';

/*
 * The load shedder's rules as plain function calls: no timer, no server, the clock passed in.
 * test/overload/overload.test.ts checks the same rules end to end over HTTP.
 */

const NOW = 1_000_000;
const clock = () => NOW;

/** Every limit applied: event-loop delay 100 ms, heap 1,000 bytes, RSS 2,000 bytes, 10 in flight (nothing in flight: a pressure of 0.1). */
function loadWith(changes: Partial<Load> = {}): Load {
  return {
    limits: { maxEventLoopDelay: 100, maxHeapUsedBytes: 1000, maxRssBytes: 2000, maxInFlight: 10 },
    staleAfter: 5000,
    readings: {},
    sampledAt: NOW - 100,
    monitor: 'ok',
    inFlight: 0,
    ...changes,
  };
}

const verdict = (load: Load, lagMs?: number, now: () => number = clock, snapshot = false) =>
  loadPressure(load, lagMs, now, blankPressure(), snapshot);

describe('the pressure rule', () => {
  it.each<[string, LoadReadings, string, number]>([
    ['event-loop delay', { eventLoopDelayMs: 150 }, 'eventLoopDelay', 1.5],
    ['heap', { heapUsedBytes: 1200 }, 'heapUsed', 1.2],
    ['RSS', { rssBytes: 5000 }, 'rss', 2.5],
  ])('sheds by %s over its limit, its reading ÷ the limit as the pressure', (_name, readings, limit, pressure) => {
    expect(verdict(loadWith({ readings }))).toEqual({ overloaded: true, limit, pressure, monitor: 'ok' });
  });

  it('sheds nothing at a limit exactly, nor for a reading whose limit is not applied', () => {
    expect(verdict(loadWith({ readings: { eventLoopDelayMs: 100, heapUsedBytes: 1000, rssBytes: 2000 } }))).toEqual({
      overloaded: false,
      limit: undefined,
      pressure: 1,
      monitor: 'ok',
    });
    const unlimited = { maxEventLoopDelay: false, maxHeapUsedBytes: false, maxRssBytes: false, maxInFlight: false } as const;
    expect(
      verdict(loadWith({ limits: unlimited, readings: { eventLoopDelayMs: 1e9, heapUsedBytes: 1e12, rssBytes: 1e12 } }), 1000),
    ).toEqual({
      overloaded: false,
      limit: undefined,
      pressure: 0,
      monitor: 'ok',
    });
  });

  it('names the limit furthest exceeded, whichever reports it', () => {
    const readings = { eventLoopDelayMs: 200, heapUsedBytes: 3000, rssBytes: 5000 };
    expect(verdict(loadWith({ readings }))).toMatchObject({ limit: 'heapUsed', pressure: 3 });
    expect(verdict(loadWith({ readings, inFlight: 39 }))).toMatchObject({ limit: 'inFlight', pressure: 4 });
    expect(verdict(loadWith({ readings }), 450)).toMatchObject({ limit: 'eventLoopDelay', pressure: 4.5 });
    // On a tie the first of in-flight, the readings (delay, heap, RSS), then the lag.
    expect(verdict(loadWith({ readings: { eventLoopDelayMs: 300, heapUsedBytes: 3000 }, inFlight: 29 }), 300)).toMatchObject({
      limit: 'inFlight',
      pressure: 3,
    });
    expect(verdict(loadWith({ readings: { heapUsedBytes: 3000, rssBytes: 6000 } }), 300)).toMatchObject({ limit: 'heapUsed' });
  });

  it('counts the request arriving among those in flight', () => {
    expect(verdict(loadWith({ inFlight: 9 }))).toEqual({ overloaded: false, limit: undefined, pressure: 1, monitor: 'ok' });
    expect(verdict(loadWith({ inFlight: 10 }))).toEqual({ overloaded: true, limit: 'inFlight', pressure: 1.1, monitor: 'ok' });
    expect(verdict(loadWith({ inFlight: 19 }))).toMatchObject({ overloaded: true, pressure: 2 });
  });

  it("sheds by the event loop's current lag, and takes a lag beyond staleAfter for a stopped timer", () => {
    expect(verdict(loadWith(), 250)).toEqual({ overloaded: true, limit: 'eventLoopDelay', pressure: 2.5, monitor: 'ok' });
    expect(verdict(loadWith(), 5000)).toMatchObject({ overloaded: true, pressure: 50 });
    expect(verdict(loadWith(), 5001)).toEqual({ overloaded: false, limit: undefined, pressure: 0.1, monitor: 'ok' });
    // In flight still sheds beside a lag taken for a stopped timer.
    expect(verdict(loadWith({ inFlight: 10 }), 60_000)).toMatchObject({ overloaded: true, limit: 'inFlight' });
  });

  it('fails open on readings older than staleAfter, and calls the monitor stale', () => {
    const over = { eventLoopDelayMs: 400 };
    expect(verdict(loadWith({ readings: over, sampledAt: NOW - 5000 }))).toMatchObject({ overloaded: true, monitor: 'ok' });
    expect(verdict(loadWith({ readings: over, sampledAt: NOW - 5001 }))).toEqual({
      overloaded: false,
      limit: undefined,
      pressure: 0.1,
      monitor: 'stale',
    });
    // The in-flight limit and the lag do not depend on the readings.
    expect(verdict(loadWith({ readings: over, sampledAt: NOW - 5001, inFlight: 10 }))).toMatchObject({
      overloaded: true,
      limit: 'inFlight',
    });
    expect(verdict(loadWith({ readings: over, sampledAt: NOW - 5001 }), 200)).toMatchObject({ overloaded: true, limit: 'eventLoopDelay' });
  });

  it('sheds nothing by the readings of a monitor that failed or stopped', () => {
    const over = { heapUsedBytes: 1e9 };
    for (const monitor of ['failed', 'stopped'] as const) {
      expect(verdict(loadWith({ readings: over, monitor }))).toEqual({ overloaded: false, limit: undefined, pressure: 0.1, monitor });
      expect(verdict(loadWith({ readings: over, monitor, inFlight: 10 }))).toMatchObject({ overloaded: true, limit: 'inFlight', monitor });
    }
  });

  it('reads the clock for a request only when a reading is over its limit; always for a snapshot', () => {
    let reads = 0;
    const counting = () => {
      reads++;
      return NOW;
    };
    verdict(loadWith({ readings: { heapUsedBytes: 500 }, inFlight: 20 }), 50, counting);
    expect(reads).toBe(0);
    verdict(loadWith({ readings: { heapUsedBytes: 5000 } }), undefined, counting);
    expect(reads).toBe(1);
    // A snapshot tells a stale monitor apart under the limits too; the readings' pressure is still shown.
    const stale = loadWith({ readings: { heapUsedBytes: 500 }, sampledAt: NOW - 6000 });
    expect(verdict(stale, undefined, counting, true)).toEqual({ overloaded: false, limit: undefined, pressure: 0.5, monitor: 'stale' });
    expect(reads).toBe(2);
    expect(verdict(stale)).toMatchObject({ monitor: 'ok' });
  });

  it('before the first reading, has no readings to shed by, and the monitor is ok', () => {
    expect(verdict(loadWith({ sampledAt: undefined }), undefined, clock, true)).toEqual({
      overloaded: false,
      limit: undefined,
      pressure: 0.1,
      monitor: 'ok',
    });
  });

  it('writes into the verdict it is given, and returns it', () => {
    const out = blankPressure();
    expect(loadPressure(loadWith({ readings: { rssBytes: 3000 } }), undefined, clock, out, false)).toBe(out);
    expect(out).toEqual({ overloaded: true, limit: 'rss', pressure: 1.5, monitor: 'ok' });
    loadPressure(loadWith(), undefined, clock, out, false);
    expect(out).toEqual({ overloaded: false, limit: undefined, pressure: 0.1, monitor: 'ok' });
  });
});

describe('Retry-After for a pressure', () => {
  it('goes from the least just over a limit to the most at twice it, before jitter', () => {
    const none = () => 0;
    expect(retryAfterForPressure(1.01, 2, 20, none)).toBe(3); // 2.18, rounded up
    expect(retryAfterForPressure(1.5, 2, 20, none)).toBe(11);
    expect(retryAfterForPressure(2, 2, 20, none)).toBe(20);
    expect(retryAfterForPressure(10, 2, 20, none)).toBe(20);
    // Not over (a pressure of 1 or less): the least.
    expect(retryAfterForPressure(0.5, 2, 20, none)).toBe(2);
  });

  it('spreads by up to half again, never past the most', () => {
    expect(retryAfterForPressure(1.5, 2, 20, () => 0.5)).toBe(14); // 11 × 1.25 = 13.75
    expect(retryAfterForPressure(1.5, 2, 20, () => 0.999)).toBe(17); // 11 × 1.4995
    expect(retryAfterForPressure(1, 2, 20, () => 0.999)).toBe(3); // 2 × 1.4995
    expect(retryAfterForPressure(2, 2, 20, () => 0.999)).toBe(20);
    expect(retryAfterForPressure(1.9, 2, 20, () => 0.999)).toBe(20); // 18.2 × 1.4995, capped
  });

  it('stays within the bounds, whole seconds, for any draw', () => {
    for (const pressure of [0, 1, 1.001, 1.3, 1.77, 2, 3, 1e6]) {
      for (const draw of [0, 0.1, 0.5, 0.9, 0.999999]) {
        for (const [min, max] of [
          [0, 0],
          [0, 5],
          [1, 30],
          [7, 7],
        ] as const) {
          const seconds = retryAfterForPressure(pressure, min, max, () => draw);
          expect(Number.isInteger(seconds)).toBe(true);
          expect(seconds).toBeGreaterThanOrEqual(min);
          expect(seconds).toBeLessThanOrEqual(max);
        }
      }
    }
  });
});
