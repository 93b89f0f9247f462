import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One line of a plot: its name in the legend and its points, x and y both > 0. */
export interface PlotSeries {
  name: string;
  points: readonly (readonly [x: number, y: number])[];
}

/** What `writeLinePlot()` draws. */
export interface LinePlot {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly PlotSeries[];
  /** Tick label of an x value; default `formatNumber`. */
  formatX?: (x: number) => string;
  /** Tick label of a y value; default `formatNumber`. */
  formatY?: (y: number) => string;
  /** Where x ticks go; default every power of ten in range (or the points' own x when fewer than two). */
  xTicks?: readonly number[];
  /** A line under the title, e.g. the machine and the date. */
  subtitle?: string;
}

const PLOT_WIDTH = 480;
const HEIGHT = 440;
const MARGIN = { top: 64, bottom: 56, left: 84 };
// Wide enough for the longest legend entry at 12 px (about 7 px a character).
const legendWidth = (series: readonly PlotSeries[]) =>
  56 + 7 * Math.max(10, ...series.map((line) => line.name.length));
// Colour-blind-safe (Okabe–Ito), each line also gets its own marker shape.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/** `1.5k`, `2M`, `0.25`: short enough for a tick. */
export function formatNumber(value: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) if (Math.abs(value) >= size) return `${trim(value / size)}${unit}`;
  return trim(value);
}

const trim = (value: number): string => String(Number(value.toPrecision(3)));

/**
 * Draws a line plot with log–log axes as a standalone SVG file (no dependencies, plain text that
 * diffs well): labelled ticks at each power of ten, a grid, a legend and a title. Creates the folder.
 *
 * @example
 * writeLinePlot('docs/plots/verify.svg', {
 *   title: 'Time per event', xLabel: 'payload (bytes)', yLabel: 'µs',
 *   series: [{ name: 'verify', points: [[1024, 3.1], [4096, 6.2]] }],
 * });
 */
export function writeLinePlot(path: string, plot: LinePlot): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderLinePlot(plot));
}

/** The SVG text of `writeLinePlot()`. */
export function renderLinePlot({
  title,
  xLabel,
  yLabel,
  series,
  formatX = formatNumber,
  formatY = formatNumber,
  xTicks,
  subtitle,
}: LinePlot): string {
  const points = series.flatMap((line) => line.points).filter(([x, y]) => x > 0 && y > 0);
  if (points.length === 0) throw new Error(`writeLinePlot: "${title}" has no point with x > 0 and y > 0.`);
  const [xMin, xMax] = logRange(points.map(([x]) => x));
  const [yMin, yMax] = logRange(points.map(([, y]) => y));
  const plotWidth = PLOT_WIDTH;
  const width = MARGIN.left + plotWidth + legendWidth(series);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((Math.log10(x) - xMin) / (xMax - xMin)) * plotWidth;
  const sy = (y: number) => MARGIN.top + plotHeight - ((Math.log10(y) - yMin) / (yMax - yMin)) * plotHeight;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(title)}</text>`,
  ];
  if (subtitle) {
    out.push(`<text x="${width / 2}" y="42" text-anchor="middle" fill="#555">${escapeXml(subtitle)}</text>`);
  }
  const bottom = MARGIN.top + plotHeight;
  for (const x of xTicks ?? decades(xMin, xMax)) {
    if (x <= 0) continue;
    const px = sx(x).toFixed(1);
    out.push(
      `<line x1="${px}" y1="${MARGIN.top}" x2="${px}" y2="${bottom}" stroke="#e4e4e4"/>`,
      `<text x="${px}" y="${bottom + 18}" text-anchor="middle">${escapeXml(formatX(x))}</text>`,
    );
  }
  for (const y of decades(yMin, yMax)) {
    const py = sy(y).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" y1="${py}" x2="${MARGIN.left + plotWidth}" y2="${py}" stroke="#e4e4e4"/>`,
      `<text x="${MARGIN.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatY(y))}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(xLabel)} (log)</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)} (log)</text>`,
  );
  for (const [index, line] of series.entries()) {
    const colour = COLOURS[index % COLOURS.length] as string;
    const visible = line.points.filter(([x, y]) => x > 0 && y > 0);
    const coordinates = visible.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${coordinates.join(' ')}"/>`,
      ...visible.map(([x, y]) => marker(index, sx(x), sy(y), colour)),
    );
    const ly = MARGIN.top + 8 + index * 22;
    const lx = MARGIN.left + plotWidth + 16;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
      marker(index, lx + 12, ly, colour),
      `<text x="${lx + 32}" y="${ly}" dominant-baseline="middle">${escapeXml(line.name)}</text>`,
    );
  }
  out.push('</svg>', '');
  return out.join('\n');
}

/** The log10 range to draw, padded a little, at least a tenth of a decade wide. */
function logRange(values: number[]): [number, number] {
  let low = Math.log10(Math.min(...values));
  let high = Math.log10(Math.max(...values));
  if (high - low < 0.1) {
    low -= 0.3;
    high += 0.3;
  }
  const pad = (high - low) * 0.06;
  return [low - pad, high + pad];
}

/** Powers of ten inside [10^low, 10^high]; with fewer than three, adds the 2 and 5 multiples. */
function decades(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.ceil(low); power <= Math.floor(high); power++) ticks.push(10 ** power);
  if (ticks.length >= 3) return ticks;
  const finer: number[] = [];
  for (let power = Math.floor(low); power <= Math.ceil(high); power++) {
    for (const step of [1, 2, 5]) {
      const value = step * 10 ** power;
      if (Math.log10(value) >= low && Math.log10(value) <= high) finer.push(value);
    }
  }
  return finer;
}

function marker(index: number, x: number, y: number, colour: string): string {
  const cx = x.toFixed(1);
  const cy = y.toFixed(1);
  switch (index % 3) {
    case 0:
      return `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${colour}"/>`;
    case 1:
      return `<rect x="${(x - 3.5).toFixed(1)}" y="${(y - 3.5).toFixed(1)}" width="7" height="7" fill="${colour}"/>`;
    default:
      return `<path d="M${cx} ${(y - 4.5).toFixed(1)} L${(x + 4.5).toFixed(1)} ${(y + 3.5).toFixed(1)} L${(x - 4.5).toFixed(1)} ${(y + 3.5).toFixed(1)} Z" fill="${colour}"/>`;
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
