import http from 'node:http';

/**
 * A constant-rate open-loop load, in the manner of wrk2: request i is due at
 * start + i / rate whether or not earlier ones were answered, and its latency
 * is counted from when it was due, not from when a free connection sent it.
 * A server that falls behind therefore shows its whole queue in the latency
 * (no coordinated omission), and the arrivals are as even as a 1 ms timer
 * allows, so the curve measures the server and not bursts of the generator.
 */

export interface PacedLoadOptions {
  url: string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Keep-alive connections at most; a request due while all are busy waits for one (and its latency grows). */
  maxConnections: number;
  /** Milliseconds after which a request counts as an error (a client giving up). */
  timeout?: number;
}

export interface PacedLoadResult {
  /** How long the load took, until its last response or timeout, in seconds. */
  seconds: number;
  sent: number;
  /** Latencies (ms, from when each request was due) by status, sorted. */
  latencies: Map<number, number[]>;
  /** Requests that failed or timed out. */
  errors: number;
}

/** Runs one paced load to the end: every request due within `seconds` is sent and waited for. */
export function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const { rate, seconds, maxConnections, timeout = 10_000 } = options;
  const total = Math.max(1, Math.round(rate * seconds));
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxConnections, maxFreeSockets: maxConnections });
  const url = new URL(options.url);
  const latencies = new Map<number, number[]>();
  let sent = 0;
  let settled = 0;
  let errors = 0;
  const startedAt = performance.now();

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      for (const list of latencies.values()) list.sort((a, b) => a - b);
      resolve({ seconds: (performance.now() - startedAt) / 1000, sent, latencies, errors });
    };
    const settle = () => {
      settled++;
      if (settled === total) finish();
    };
    const send = (dueAt: number) => {
      sent++;
      const request = http.get(url, { agent, headers: options.headers, timeout }, (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          let list = latencies.get(status);
          if (list === undefined) latencies.set(status, (list = []));
          list.push(performance.now() - dueAt);
          settle();
        });
        response.on('error', () => {
          errors++;
          settle();
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        errors++;
        settle();
      });
    };
    const dueAt = (index: number) => startedAt + (index * 1000) / rate;
    // A 1 ms tick sends every request that has fallen due: at most a request or two at a time.
    const tick = () => {
      const now = performance.now();
      while (sent < total && dueAt(sent) <= now) send(dueAt(sent));
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}
