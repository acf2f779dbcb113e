import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CurvePoint, OverloadReport } from './overload';

/**
 * The overload benchmark's p99 curve as an SVG: admitted requests' p99
 * latency against offered load, without and with shedding. Run as a script
 * (`npm run bench:overload:plot`), it rasterizes bench/results/overload-latest.json's
 * curve to docs/overload-p99.png with headless chromium.
 */

const WIDTH = 880;
const HEIGHT = 520;
const MARGIN = { left: 80, right: 30, top: 60, bottom: 70 };
const SERIES = [
  { shedding: false, label: 'without shedding', color: '#c0392b' },
  { shedding: true, label: 'with loadShedding (503 + Retry-After)', color: '#2471a3' },
];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Round numbers for a log axis from low to high. */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(low)); decade <= high * 10; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const value = decade * step;
      if (value >= low && value <= high) ticks.push(value);
    }
  }
  return ticks;
}

export function overloadPlotSvg(report: OverloadReport): string {
  const points = report.curve.filter((point) => Number.isFinite(point.admittedP99) && point.admittedP99 > 0);
  const multiples = report.curve.map((point) => point.multiple);
  const xMax = Math.max(...multiples, 1) * 1.05;
  const yLow = Math.max(1, 10 ** Math.floor(Math.log10(Math.min(...points.map((point) => point.admittedP99), 10))));
  const yHigh = 10 ** Math.ceil(Math.log10(Math.max(...points.map((point) => point.admittedP99), 10)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (multiple: number) => MARGIN.left + (multiple / xMax) * plotWidth;
  const y = (ms: number) =>
    MARGIN.top + plotHeight - ((Math.log10(ms) - Math.log10(yLow)) / (Math.log10(yHigh) - Math.log10(yLow))) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">Admitted requests' p99 latency vs offered load (${report.burnMilliseconds} ms CPU route)</text>`,
    `<text x="${WIDTH / 2}" y="46" text-anchor="middle" fill="#555">capacity ${Math.round(report.capacity)} req/s measured in the same run, ${report.date.slice(0, 10)}, Node ${escape(report.machine.node)}</text>`,
  ];
  for (const tick of logTicks(yLow, yHigh)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`);
  }
  for (const multiple of [...new Set(multiples)]) {
    parts.push(`<line x1="${x(multiple)}" x2="${x(multiple)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x(multiple)}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle">${multiple}×</text>`);
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 22}" text-anchor="middle">offered load (× measured capacity)</text>`,
    `<text transform="translate(22 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">p99 latency of admitted requests (ms, log scale)</text>`,
  );
  SERIES.forEach((series, index) => {
    const own: CurvePoint[] = points.filter((point) => point.shedding === series.shedding).sort((a, b) => a.multiple - b.multiple);
    if (own.length > 0) {
      parts.push(
        `<polyline fill="none" stroke="${series.color}" stroke-width="2.5" points="${own.map((point) => `${x(point.multiple)},${y(point.admittedP99)}`).join(' ')}"/>`,
      );
      for (const point of own) {
        parts.push(`<circle cx="${x(point.multiple)}" cy="${y(point.admittedP99)}" r="4.5" fill="${series.color}"/>`);
        // Labels of the shedding line go below its points, the other's above, so that close values stay readable.
        parts.push(
          `<text x="${x(point.multiple) + 7}" y="${y(point.admittedP99) + (series.shedding ? 17 : -7)}" fill="${series.color}" font-size="11">${Math.round(point.admittedP99)}</text>`,
        );
      }
    }
    const legendY = MARGIN.top + 14 + index * 20;
    parts.push(
      `<line x1="${MARGIN.left + 16}" x2="${MARGIN.left + 44}" y1="${legendY}" y2="${legendY}" stroke="${series.color}" stroke-width="2.5"/>`,
    );
    parts.push(`<text x="${MARGIN.left + 52}" y="${legendY + 4}">${escape(series.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Writes the SVG of a results file and screenshots it with headless chromium (ImageMagick's convert as the fallback). */
function rasterize(resultsFile: string, pngFile: string): void {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as OverloadReport;
  const work = mkdtempSync(path.join(os.tmpdir(), 'overload-plot-'));
  try {
    const svg = path.join(work, 'plot.svg');
    writeFileSync(svg, overloadPlotSvg(report));
    try {
      execFileSync(
        '/usr/bin/chromium',
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          `--user-data-dir=${path.join(work, 'profile')}`,
          '--hide-scrollbars',
          `--window-size=${WIDTH},${HEIGHT}`,
          `--screenshot=${pngFile}`,
          `file://${svg}`,
        ],
        { stdio: 'ignore', timeout: 60_000 },
      );
    } catch {
      execFileSync('convert', [svg, pngFile], { stdio: 'inherit' });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const results = process.argv[2] ?? path.join(__dirname, 'results', 'overload-latest.json');
  const png = process.argv[3] ?? path.join(root, 'docs', 'overload-p99.png');
  rasterize(results, png);
  console.log(`wrote ${png} from ${results}`);
}
