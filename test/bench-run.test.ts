import { median } from '../bench/stats';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.join(__dirname, '..');

/** `npm run bench`'s script with tiny settings: a check that it runs end to end, not a measurement. */
function bench(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: root, timeout: 60_000 });
}

describe('npm run bench', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  it('measures the chosen variants in alternating rounds and writes JSON and Markdown', async () => {
    const { stdout } = await bench([
      '--duration=0.3',
      '--rounds=2',
      '--warmup=0',
      '--connections=2',
      '--variants=handwritten-xml,handler-xml',
      '--serializer-ms=20',
      `--out=${outDir}`,
    ]);
    expect(stdout).toMatch(/round 1\/2: handwritten-xml [\d,]+, handler-xml [\d,]+/);
    expect(stdout).toMatch(/round 2\/2: handler-xml [\d,]+, handwritten-xml [\d,]+/);

    const report = JSON.parse(readFileSync(path.join(outDir, 'latest.json'), 'utf8'));
    expect(report.variants.map((variant: { name: string }) => variant.name)).toEqual(['handwritten-xml', 'handler-xml']);
    const [handwritten, handler] = report.variants;
    expect(handwritten.samples).toHaveLength(2);
    expect(handler.medianRequestsPerSecond).toBeGreaterThan(0);
    expect(handler.medianCpuMicrosecondsPerRequest).toBeGreaterThan(0);
    // Only the baseline was measured, so only that ratio is there: strong-xml was not chosen.
    expect(handler.ratios).toEqual([
      { to: 'handwritten-xml', ratio: pairedMedianRatio(handler.samples, handwritten.samples), target: 0.95, met: expect.any(Boolean) },
    ]);
    expect(report.serializers.map((result: { name: string }) => result.name)).toEqual(['json', 'xml', 'items-json', 'items-xml', 'xml-document-per-envelope']);

    const table = readFileSync(path.join(outDir, 'latest.md'), 'utf8');
    expect(table).toContain('| Variant | Median req/s (min–max) |');
    expect(table).toMatch(/\| handler-xml: .* \| [\d.]+× handwritten-xml \(target ≥ 0\.95: (met|NOT met)\) \|/);
    expect(table).toContain('| XML envelope (xmlFormatter.formatError) |');
  }, 60_000);

  it.each([
    [['--rounds=0'], /--rounds must be a positive integer/],
    [['--variants=handler-json,nope'], /unknown variant\(s\) nope/],
  ])('refuses %j', async (args, message) => {
    await expect(bench([...args, `--out=${outDir}`])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    // Starting tsx alone can take more than jest's default 5 s on a busy machine.
  }, 60_000);
});

/** The median of the per-round ratios: each round measured both variants. */
function pairedMedianRatio(own: number[], reference: number[]): number {
  return median(own.map((rate, round) => rate / (reference[round] ?? Number.NaN)));
}
