/**
 * The console's fallback report view: bar chart geometry (groups per step, one bar per series,
 * heights to scale) and the step table's words (1-based steps, reasons, top codes, delivery rate).
 */
import { describe, expect, it } from 'vitest';
import { barChart } from '../../../src/console/chart/bar-chart.js';
import { LINE_COLORS } from '../../../src/console/chart/line-chart.js';
import { fallbackSection, stepTable } from '../../../src/console/fallback/fallback-view.js';
import type { FallbackReport, FallbackStepRow } from '../../../src/fallback/report/fallback-report.js';

const zeros = { not_capable: 0, not_renderable: 0, rejected: 0, failed: 0, timeout: 0 };
const row = (r: Partial<FallbackStepRow>): FallbackStepRow => ({
  attempted: 0, succeeded: 0, delivered: 0, read: 0, fellBack: 0, fellBackBy: zeros, failedLast: 0, failedLastBy: zeros, pending: 0, topReasonCodes: [], ...r,
});

describe('bar chart geometry', () => {
  it('when two categories have two series, then each group holds one bar per series, scaled from the plot bottom', () => {
    // Plot: x 52..384 (two groups of 166), y 216 (0) to 16 (yMax 4).
    const chart = barChart({ id: 'b', title: 'T', width: 400, plotHeight: 200, yMax: 4, categories: ['a', 'b'], series: [{ name: 'x', values: [4, 1] }, { name: 'y', values: [2, 0] }] });

    expect(chart.bars.map((b) => [b.category, b.series, b.x, b.y, b.height, b.color])).toEqual([
      ['a', 'x', 76.9, 16, 200, LINE_COLORS[0]], ['a', 'y', 135, 116, 100, LINE_COLORS[1]],
      ['b', 'x', 242.9, 166, 50, LINE_COLORS[0]], ['b', 'y', 301, 216, 0, LINE_COLORS[1]],
    ]);
    expect(chart.bars[0].width).toBe(58.1);
    expect(chart.xTicks).toEqual([{ x: 135, label: 'a' }, { x: 301, label: 'b' }]);
    expect(chart.legend.map((l) => l.name)).toEqual(['x', 'y']);
    expect(chart.bars[1].label).toBe('y, a: 2');
    expect(chart.empty).toBe(false);
  });

  it('when a series has the wrong number of values, then it throws', () => {
    expect(() => barChart({ id: 'b', title: 'T', categories: ['a'], series: [{ name: 'x', values: [1, 2] }] })).toThrow(/2 values for 1 categories/);
  });
});

describe('fallback step table', () => {
  it('when a report row is shown, then steps count from 1 and reasons and codes are in words', () => {
    const [r] = stepTable([row({
      step: 0, channel: 'rcs', attempted: 8, delivered: 2, fellBack: 5, fellBackBy: { ...zeros, not_capable: 4, timeout: 1 },
      failedLast: 1, failedLastBy: { ...zeros, rejected: 1 }, topReasonCodes: [{ reason: 'not_capable', code: 'DELIVERY_IMPOSSIBLE', count: 4 }, { reason: 'timeout', code: 'TIMEOUT', count: 1 }],
    })]);
    expect(r).toMatchObject({
      position: 1, channel: '5G message', channelCode: 'rcs', fellBackReasons: 'not capable 4, timeout 1', failedLastReasons: 'rejected 1',
      topCodes: 'DELIVERY_IMPOSSIBLE (4), TIMEOUT (1)', deliveryRate: '25.0%',
    });
    expect(stepTable([row({ step: 1, channel: 'sms' })])[0]).toMatchObject({ position: 2, fellBackReasons: '', deliveryRate: null });
  });

  it('when a report has no steps, then there is no chart and the totals list no channel', () => {
    const report: FallbackReport = {
      from: '', until: '', tz: 'UTC', groupBy: ['step'], campaign: null, category: null, rows: [], days: null,
      totals: { sends: 0, running: 0, succeeded: 0, failed: 0, succeededByChannel: { rcs: 0, smart_sms: 0, mms: 0, whatsapp: 0, sms: 0 } },
    };
    expect(fallbackSection('c', report)).toEqual({ steps: [], chart: undefined, totals: { sends: 0, running: 0, succeeded: 0, failed: 0, byChannel: [] } });
  });
});
