/**
 * Server-side line charts: maps series of values over ordered categories (e.g. days) to SVG geometry
 * (path data, axis ticks, legend positions). Pure and deterministic, so the console needs no
 * JavaScript charting library and the geometry is unit-tested; templates/console/partials/line-chart.hbs
 * turns the result into markup.
 */

/** One line: a value per category (aligned with {@link LineChartInput.categories}); null leaves a gap. */
export interface LineSeries {
  name: string;
  values: (number | null)[];
}

export interface LineChartInput {
  /** Unique within the page: prefixes the ids that <title>/<desc> are referenced by. */
  id: string;
  title: string;
  /** What the chart shows, for screen readers; a per-series summary is generated when absent. */
  description?: string;
  /** The x axis, in order; every series has one value per category. */
  categories: string[];
  series: LineSeries[];
  /** Upper end of the y axis; the data's maximum rounded up to a "nice" number when absent. */
  yMax?: number;
  formatY?: (v: number) => string;
  formatX?: (category: string) => string;
  width?: number;
  plotHeight?: number;
  /** At most this many labelled x ticks (labels are thinned evenly beyond it). */
  maxXTicks?: number;
}

export interface ChartPoint { x: number; y: number; label: string }

export interface ChartLine {
  name: string;
  color: string;
  /** stroke-dasharray value; empty for a solid line. */
  dash: string;
  /** SVG path data: "M x y L x y …", with a new "M" after every gap. */
  path: string;
  points: ChartPoint[];
}

/** What every chart has besides its marks (lines, bars): the frame the chart-axes and chart-legend partials draw. */
export interface ChartFrame {
  id: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  legend: LegendItem[];
  empty: boolean;
}

export interface LineChart extends ChartFrame {
  lines: ChartLine[];
}

/**
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies; yellow left out, it
 * vanishes on white). Past seven series the dash pattern changes too, so lines stay distinct.
 */
export const LINE_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
const DASHES = ['', '6 3', '2 3'];

const MARGIN = { left: 52, right: 16, top: 16, bottom: 28 };
const LEGEND_ROW = 20;
const LEGEND_SWATCH = 24;
/** Average glyph width of the 12 px UI font, to lay legend items out without measuring text. */
const CHAR_WIDTH = 7;

const round = (v: number) => Math.round(v * 10) / 10;

/** 1, 2, 2.5 or 5 times a power of ten, at least v. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v - 1e-12) return m * p;
  return 10 * p;
}

export function lineChart(input: LineChartInput): LineChart {
  const width = input.width ?? 720;
  const plotHeight = input.plotHeight ?? 240;
  const formatY = input.formatY ?? ((v: number) => String(v));
  const formatX = input.formatX ?? ((c: string) => c);
  const n = input.categories.length;
  for (const s of input.series) {
    if (s.values.length !== n) throw new Error(`series ${s.name} has ${s.values.length} values for ${n} categories`);
  }
  const all = input.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const yMax = input.yMax ?? niceCeil(Math.max(0, ...all));

  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: MARGIN.top + plotHeight };
  // One category sits in the middle of the plot; more spread edge to edge.
  const xAt = (i: number) => round(n <= 1 ? (plot.left + plot.right) / 2 : plot.left + (i * (plot.right - plot.left)) / (n - 1));
  const yAt = (v: number) => round(plot.bottom - (Math.min(Math.max(v, 0), yMax) / yMax) * plotHeight);

  const maxXTicks = Math.max(1, input.maxXTicks ?? 8);
  const step = Math.ceil(n / maxXTicks);
  const xTicks = input.categories.flatMap((c, i) => (i % step === 0 ? [{ x: xAt(i), label: formatX(c) }] : []));
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: yAt(f * yMax), label: formatY(f * yMax) }));

  const lines = input.series.map((s, si): ChartLine => {
    const points: ChartPoint[] = [];
    const parts: string[] = [];
    let penDown = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        penDown = false;
        return;
      }
      const x = xAt(i);
      const y = yAt(v);
      parts.push(`${penDown ? 'L' : 'M'}${x} ${y}`);
      penDown = true;
      points.push({ x, y, label: `${s.name}, ${formatX(input.categories[i])}: ${formatY(v)}` });
    });
    return { name: s.name, color: LINE_COLORS[si % LINE_COLORS.length], dash: DASHES[Math.floor(si / LINE_COLORS.length) % DASHES.length], path: parts.join(' '), points };
  });

  const { legend, height } = chartLegend(lines, plot, width);

  return {
    id: input.id, width, height, title: input.title,
    desc: input.description ?? describe(input.series, formatY),
    plot, xTicks, yTicks, lines, legend,
    empty: lines.every((l) => l.points.length === 0),
  };
}

export interface LegendItem { name: string; color: string; dash: string; x: number; y: number }

/**
 * Legend items under the x axis labels, wrapping into rows that fit the width (shared by the line
 * and bar charts), and the chart's total height.
 */
export function chartLegend(items: ReadonlyArray<{ name: string; color: string; dash: string }>, plot: { left: number; bottom: number }, width: number): { legend: LegendItem[]; height: number } {
  const legend: LegendItem[] = [];
  let lx = plot.left;
  let ly = plot.bottom + MARGIN.bottom + LEGEND_ROW;
  for (const l of items) {
    const itemWidth = LEGEND_SWATCH + 6 + l.name.length * CHAR_WIDTH + 18;
    if (lx + itemWidth > width && lx > plot.left) {
      lx = plot.left;
      ly += LEGEND_ROW;
    }
    legend.push({ name: l.name, color: l.color, dash: l.dash, x: lx, y: ly });
    lx += itemWidth;
  }
  return { legend, height: (legend.length ? ly : plot.bottom + MARGIN.bottom) + 8 };
}

/** Margins around the plot (room for the y labels on the left and the x labels below). */
export const CHART_MARGIN = MARGIN;

function describe(series: LineSeries[], formatY: (v: number) => string): string {
  if (series.length === 0) return 'No data.';
  return series.map((s) => {
    const vs = s.values.filter((v): v is number => v !== null && Number.isFinite(v));
    if (vs.length === 0) return `${s.name}: no data`;
    return `${s.name}: ${vs.length} points from ${formatY(Math.min(...vs))} to ${formatY(Math.max(...vs))}, last ${formatY(vs[vs.length - 1])}`;
  }).join('; ') + '.';
}
