/**
 * Server-side grouped bar charts: one group of bars per category (e.g. a chain step), one bar per
 * series (e.g. attempted, delivered, fell back). Pure geometry like line-chart.ts (same axes,
 * colours and legend), turned into SVG by templates/console/partials/bar-chart.hbs.
 */
import { CHART_MARGIN, LINE_COLORS, chartLegend, niceCeil, type ChartFrame } from './line-chart.js';

export interface BarSeries {
  name: string;
  /** One value per category. */
  values: number[];
}

export interface BarChartInput {
  id: string;
  title: string;
  description?: string;
  categories: string[];
  series: BarSeries[];
  yMax?: number;
  formatY?: (v: number) => string;
  width?: number;
  plotHeight?: number;
}

export interface Bar { x: number; y: number; width: number; height: number; color: string; series: string; category: string; value: number; label: string }

export interface BarChart extends ChartFrame {
  bars: Bar[];
}

/** Share of a group's width left empty between groups. */
const GROUP_GAP = 0.3;
const round = (v: number) => Math.round(v * 10) / 10;

export function barChart(input: BarChartInput): BarChart {
  const width = input.width ?? 720;
  const plotHeight = input.plotHeight ?? 200;
  const formatY = input.formatY ?? ((v: number) => String(v));
  const n = input.categories.length;
  const m = Math.max(1, input.series.length);
  for (const s of input.series) {
    if (s.values.length !== n) throw new Error(`series ${s.name} has ${s.values.length} values for ${n} categories`);
  }
  const yMax = input.yMax ?? niceCeil(Math.max(0, ...input.series.flatMap((s) => s.values)));
  const plot = { left: CHART_MARGIN.left, top: CHART_MARGIN.top, right: width - CHART_MARGIN.right, bottom: CHART_MARGIN.top + plotHeight };
  const group = (plot.right - plot.left) / Math.max(1, n);
  const barWidth = (group * (1 - GROUP_GAP)) / m;
  const yAt = (v: number) => round(plot.bottom - (Math.min(Math.max(v, 0), yMax) / yMax) * plotHeight);

  const colors = input.series.map((_, i) => LINE_COLORS[i % LINE_COLORS.length]);
  const bars = input.categories.flatMap((category, ci) => input.series.map((s, si): Bar => {
    const y = yAt(s.values[ci]);
    return {
      x: round(plot.left + ci * group + (group * GROUP_GAP) / 2 + si * barWidth), y, width: round(barWidth), height: round(plot.bottom - y),
      color: colors[si], series: s.name, category, value: s.values[ci], label: `${s.name}, ${category}: ${formatY(s.values[ci])}`,
    };
  }));
  const { legend, height } = chartLegend(input.series.map((s, i) => ({ name: s.name, color: colors[i], dash: '' })), plot, width);
  return {
    id: input.id, width, height, title: input.title,
    desc: input.description ?? (bars.length ? bars.map((b) => b.label).join('; ') + '.' : 'No data.'),
    plot,
    xTicks: input.categories.map((label, i) => ({ x: round(plot.left + (i + 0.5) * group), label })),
    yTicks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: yAt(f * yMax), label: formatY(f * yMax) })),
    bars, legend,
    empty: bars.every((b) => b.value === 0),
  };
}
