import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { type OverloadReport, overloadMarkdown } from '../../bench/overload';
import { overloadPlotSvg } from '../../bench/overload-plot';
import { pacedLoad } from '../../bench/paced-load';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');

/** A report as bench/overload.ts writes it, with made-up figures: the table and the plot must show exactly these. */
const report: OverloadReport = {
  date: '2026-01-01T00:00:00.000Z',
  machine: { cpu: 'test cpu', cores: 2, node: 'v20.0.0', loadAverage: [0.1, 0.2, 0.3] },
  loadAverageAtEnd: [0.4, 0.5, 0.6],
  settings: {
    curveSeconds: 3,
    multiples: [1, 3],
    curveConnections: 64,
    throughputSeconds: 2,
    rounds: 5,
    connections: 10,
    costSeconds: 1,
    parts: ['curve', 'throughput', 'cost'],
  },
  burnMilliseconds: 2,
  shedding: { maxEventLoopDelay: 20, sampleInterval: 50, maxHeapUsedBytes: false },
  capacity: 450,
  curve: [
    { multiple: 1, offered: 450, shedding: false, admittedPerSecond: 440, shedPerSecond: 0, admittedP50: 12, admittedP99: 40, errors: 0 },
    {
      multiple: 3,
      offered: 1350,
      shedding: false,
      admittedPerSecond: 450,
      shedPerSecond: 0,
      admittedP50: 120,
      admittedP99: 900,
      errors: 0,
    },
    { multiple: 1, offered: 450, shedding: true, admittedPerSecond: 430, shedPerSecond: 10, admittedP50: 11, admittedP99: 35, errors: 0 },
    { multiple: 3, offered: 1350, shedding: true, admittedPerSecond: 420, shedPerSecond: 900, admittedP50: 15, admittedP99: 60, errors: 0 },
  ],
  throughput: [
    {
      name: 'bare-503',
      description: 'bare',
      medianRequestsPerSecond: 20000,
      medianCpuMicrosecondsPerRequest: 40,
      samples: [20000],
      ratioToBare: null,
      cpuRatioToBare: null,
    },
    {
      name: 'shed-wrapped',
      description: 'wrapped',
      medianRequestsPerSecond: 17000,
      medianCpuMicrosecondsPerRequest: 50,
      samples: [17000],
      ratioToBare: 0.85,
      cpuRatioToBare: 0.8,
    },
    {
      name: 'shed-express',
      description: 'express',
      medianRequestsPerSecond: 10000,
      medianCpuMicrosecondsPerRequest: 90,
      samples: [10000],
      ratioToBare: 0.5,
      cpuRatioToBare: 0.44,
    },
  ],
  cost: [
    {
      kind: 'items',
      format: 'json',
      count: 10,
      medianCpuMicrosecondsPerResponse: 100,
      microsecondsPerUnit: 10,
      marginalMicrosecondsPerUnit: null,
    },
    {
      kind: 'items',
      format: 'json',
      count: 100,
      medianCpuMicrosecondsPerResponse: 280,
      microsecondsPerUnit: 2.8,
      marginalMicrosecondsPerUnit: 2,
      marginalLessBuildingMicrosecondsPerUnit: 1.25,
    },
    {
      kind: 'built',
      format: 'json',
      count: 100,
      medianCpuMicrosecondsPerResponse: 150,
      microsecondsPerUnit: 1.5,
      marginalMicrosecondsPerUnit: 0.75,
    },
  ],
};

describe('the overload benchmark report', () => {
  it('tabulates the curve, the ratios against their target and the cost', () => {
    const table = overloadMarkdown(report);
    expect(table).toContain('capacity measured in this run: 450 req/s');
    expect(table).toContain('| 3× (1,350/s) | off | 450 | 120 ms | 900 ms | 0 |');
    expect(table).toContain('| 3× (1,350/s) | on | 420 | 15 ms | 60 ms | 900 |');
    expect(table).toMatch(/\| shed-wrapped: wrapped \| 17,000 \| 50\.0 \| 0\.85× \(target ≥ 0\.8: met\) \| 0\.80× \|/);
    expect(table).toMatch(/\| shed-express: express \| 10,000 \| 90\.0 \| 0\.50× \(target ≥ 0\.8: NOT met\) \| 0\.44× \|/);
    expect(table).toContain('| sendItems | JSON | 100 | 280.0 | 2.80 | 2.00 | 1.25 |');
    expect(table).toContain('| baseline: the items built, not sent | – | 100 | 150.0 | 1.50 | 0.75 | – |');
  });

  it('plots one line per mode through its p99 points', () => {
    const svg = overloadPlotSvg(report);
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((match) =>
      match[1]?.split(' ').map((point) => point.split(',').map(Number)),
    );
    expect(lines).toHaveLength(2);
    const [without, withShedding] = lines;
    // SVG y grows downwards: 900 ms is drawn above 40 ms, and above the shedding line's 60 ms.
    expect(without?.[1]?.[1]).toBeLessThan(without?.[0]?.[1] ?? 0);
    expect(without?.[1]?.[1]).toBeLessThan(withShedding?.[1]?.[1] ?? 0);
    expect(svg).toContain('>900</text>');
    expect(svg).toContain('capacity 450 req/s');
  });

  it('refuses bad settings before starting any server', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'bench/overload.ts', '--rounds=0'], { cwd: root })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--rounds must be a positive integer/),
    });
  }, 60_000);
});

describe('the paced load of the overload curve', () => {
  let server: http.Server;
  let url: string;
  /** Until then (performance.now()), answers are held back: a server that has fallen behind. */
  let holdUntil = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      const wait = holdUntil - performance.now();
      if (wait > 0) setTimeout(() => res.end('ok'), wait);
      else res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends at the rate asked, not as fast as the server answers', async () => {
    const result = await pacedLoad({ url, rate: 200, seconds: 1, maxConnections: 16 });
    expect(result.sent).toBe(200);
    expect(result.errors).toBe(0);
    expect(result.latencies.get(200)).toHaveLength(200);
    // 200 requests at 200/s take a second, whatever the server's speed (it answers in well under a millisecond).
    expect(result.seconds).toBeGreaterThanOrEqual(0.99);
    expect(result.seconds).toBeLessThan(2);
  });

  it('counts the wait of every request due while the server stalls (no coordinated omission)', async () => {
    holdUntil = performance.now() + 300;
    const result = await pacedLoad({ url, rate: 200, seconds: 1, maxConnections: 8 });
    const latencies = result.latencies.get(200) ?? [];
    expect(latencies).toHaveLength(200);
    // The stall holds up the requests due in its 300 ms (about 60 at 200/s), each counted from when it was due;
    // a generator that timed only the requests it managed to send would show one slow answer.
    expect(latencies.filter((ms) => ms > 100).length).toBeGreaterThanOrEqual(30);
    expect(latencies.at(-1)).toBeGreaterThanOrEqual(250);
    // Once the stall is over, the backlog drains and the rest are fast again: well under the stalled ones. Compared
    // with them rather than with a fixed time, since a busy machine (another jest worker) slows every request alike.
    expect(latencies[50]).toBeLessThan((latencies.at(-1) ?? 0) - 150);
  });
});
