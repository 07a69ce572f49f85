import { describe, expect, it } from 'vitest';
import { LINE_COLORS, lineChart, niceCeil } from '../../../src/console/chart/line-chart.js';

const base = { id: 'c', title: 'T', width: 400, plotHeight: 200 };
// Plot area with these sizes: x from 52 to 384, y from 216 (value 0) up to 16 (yMax).

describe('line chart geometry', () => {
  it('when values span the categories, then each maps to a point edge to edge and 0..yMax to bottom..top', () => {
    // Act
    const chart = lineChart({ ...base, categories: ['a', 'b', 'c'], series: [{ name: 'r1', values: [0, 0.5, 1] }], yMax: 1 });

    // Assert
    expect(chart.plot).toEqual({ left: 52, top: 16, right: 384, bottom: 216 });
    expect(chart.lines[0].path).toBe('M52 216 L218 116 L384 16');
    expect(chart.lines[0].points.map((p) => [p.x, p.y])).toEqual([[52, 216], [218, 116], [384, 16]]);
  });

  it('when a value is missing, then the line breaks there instead of dropping to zero', () => {
    const chart = lineChart({ ...base, categories: ['a', 'b', 'c', 'd'], series: [{ name: 'r', values: [0.5, null, 0.25, 0.75] }], yMax: 1 });
    expect(chart.lines[0].path).toMatch(/^M52 116 M273.3 166 L384 66$/);
    expect(chart.lines[0].points).toHaveLength(3);
  });

  it('when there is a single category, then its point sits in the middle of the plot', () => {
    const chart = lineChart({ ...base, categories: ['a'], series: [{ name: 'r', values: [1] }], yMax: 2 });
    expect(chart.lines[0].path).toBe('M218 116');
  });

  it('when values fall outside 0..yMax, then they are clamped to the plot', () => {
    const chart = lineChart({ ...base, categories: ['a', 'b'], series: [{ name: 'r', values: [-1, 5] }], yMax: 1 });
    expect(chart.lines[0].path).toBe('M52 216 L384 16');
  });

  it('when no yMax is given, then the axis ends at a nice number at or above the largest value', () => {
    expect([niceCeil(0.83), niceCeil(3), niceCeil(7.2), niceCeil(180), niceCeil(0)]).toEqual([1, 5, 10, 200, 1]);
    const chart = lineChart({ ...base, categories: ['a', 'b'], series: [{ name: 'r', values: [12, 37] }] });
    expect(chart.yTicks.map((t) => t.label)).toEqual(['0', '12.5', '25', '37.5', '50']);
  });

  it('when ticks are built, then y ticks go bottom to top with formatted labels and x labels are thinned to the maximum', () => {
    // Arrange
    const days = Array.from({ length: 30 }, (_, i) => `2024-05-${String(i + 1).padStart(2, '0')}`);

    // Act
    const chart = lineChart({ ...base, categories: days, series: [], yMax: 1, maxXTicks: 6, formatY: (v) => `${v * 100}%`, formatX: (d) => d.slice(5) });

    // Assert
    expect(chart.yTicks).toEqual([
      { y: 216, label: '0%' }, { y: 166, label: '25%' }, { y: 116, label: '50%' }, { y: 66, label: '75%' }, { y: 16, label: '100%' },
    ]);
    expect(chart.xTicks.map((t) => t.label)).toEqual(['05-01', '05-06', '05-11', '05-16', '05-21', '05-26']);
    expect(chart.xTicks[0].x).toBe(52);
  });

  it('when there are more series than colours, then every line still differs by colour or dash pattern', () => {
    // Arrange
    const series = Array.from({ length: 10 }, (_, i) => ({ name: `route-${i}`, values: [i / 10, i / 10] }));

    // Act
    const chart = lineChart({ ...base, categories: ['a', 'b'], series, yMax: 1 });

    // Assert
    const styles = chart.lines.map((l) => `${l.color}|${l.dash}`);
    expect(new Set(styles).size).toBe(10);
    expect(chart.lines.slice(0, LINE_COLORS.length).every((l) => l.dash === '')).toBe(true);
    expect(chart.lines[LINE_COLORS.length].dash).not.toBe('');
  });

  it('when the legend does not fit one row, then it wraps below the plot and the chart grows to hold it', () => {
    // Arrange
    const series = Array.from({ length: 6 }, (_, i) => ({ name: `a-rather-long-route-name-${i}`, values: [0.5] }));

    // Act
    const chart = lineChart({ ...base, categories: ['a'], series, yMax: 1 });

    // Assert
    expect(chart.legend.map((l) => l.name)).toEqual(series.map((s) => s.name));
    expect(chart.legend.every((l) => l.x >= chart.plot.left && l.x < chart.width)).toBe(true);
    const rows = new Set(chart.legend.map((l) => l.y));
    expect(rows.size).toBeGreaterThan(1);
    expect(chart.height).toBeGreaterThan(Math.max(...rows));
    expect(chart.legend.map((l) => l.color)).toEqual(chart.lines.map((l) => l.color));
  });

  it('when no description is given, then one is generated per series for screen readers', () => {
    const chart = lineChart({ ...base, categories: ['a', 'b', 'c'], series: [{ name: 'direct', values: [0.8, null, 0.9] }, { name: 'none', values: [null, null, null] }], yMax: 1, formatY: (v) => `${Math.round(v * 100)}%` });
    expect(chart.desc).toBe('direct: 2 points from 80% to 90%, last 90%; none: no data.');
    expect(chart.empty).toBe(false);
    expect(lineChart({ ...base, categories: ['a'], series: [{ name: 'x', values: [null] }] }).empty).toBe(true);
  });

  it('when a series has the wrong number of values, then the chart refuses it', () => {
    expect(() => lineChart({ ...base, categories: ['a', 'b'], series: [{ name: 'r', values: [1] }] })).toThrow(/r has 1 values for 2 categories/);
  });
});
