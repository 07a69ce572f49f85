/**
 * What the console shows of a fallback report (the campaign page's "Channels" section and the
 * Fallback page): one table row per chain step (position and channel) with its reasons in words,
 * the send totals, and a bar chart of attempted, delivered and fell back per step. Pure.
 */
import type { ChannelName } from '../../fallback/fallback-channel.js';
import type { MoveReason } from '../../fallback/fallback.repository.js';
import { MOVE_REASONS, type FallbackReport, type FallbackStepRow, type ReasonCounts } from '../../fallback/report/fallback-report.js';
import { barChart, type BarChart } from '../chart/bar-chart.js';
import { countAxisMax, percent } from '../campaigns/campaign-view.js';

export const CHANNEL_LABELS: Record<ChannelName, string> = { rcs: '5G message', smart_sms: 'Smart SMS', mms: 'MMS', whatsapp: 'WhatsApp', sms: 'SMS' };
export const REASON_LABELS: Record<MoveReason, string> = {
  not_capable: 'not capable', not_renderable: 'not renderable', rejected: 'rejected', failed: 'failed', timeout: 'timeout',
};

export interface StepTableRow {
  /** 1-based, as people count steps; the API's `step` is 0-based. */
  position: number;
  channel: string;
  channelCode: ChannelName;
  attempted: number;
  succeeded: number;
  delivered: number;
  read: number;
  fellBack: number;
  /** e.g. "not capable 12, timeout 3"; empty when nothing fell back. */
  fellBackReasons: string;
  failedLast: number;
  failedLastReasons: string;
  pending: number;
  topCodes: string;
  deliveryRate: string | null;
}

const reasonText = (by: ReasonCounts) => MOVE_REASONS.filter((r) => by[r] > 0).map((r) => `${REASON_LABELS[r]} ${by[r]}`).join(', ');

export function stepTable(rows: readonly FallbackStepRow[]): StepTableRow[] {
  return rows.map((r) => ({
    position: (r.step ?? 0) + 1,
    channel: CHANNEL_LABELS[r.channel!] ?? r.channel!,
    channelCode: r.channel!,
    attempted: r.attempted, succeeded: r.succeeded, delivered: r.delivered, read: r.read,
    fellBack: r.fellBack, fellBackReasons: reasonText(r.fellBackBy),
    failedLast: r.failedLast, failedLastReasons: reasonText(r.failedLastBy),
    pending: r.pending,
    topCodes: r.topReasonCodes.map((c) => `${c.code} (${c.count})`).join(', '),
    deliveryRate: percent(r.attempted > 0 ? r.delivered / r.attempted : null),
  }));
}

export interface TotalsView {
  sends: number;
  running: number;
  succeeded: number;
  failed: number;
  /** Channels at least one send ended on, richest first. */
  byChannel: { channel: string; code: ChannelName; count: number }[];
}

export function totalsView(report: FallbackReport): TotalsView {
  const t = report.totals;
  return {
    sends: t.sends, running: t.running, succeeded: t.succeeded, failed: t.failed,
    byChannel: (Object.keys(CHANNEL_LABELS) as ChannelName[]).filter((c) => t.succeededByChannel[c] > 0)
      .map((c) => ({ channel: CHANNEL_LABELS[c], code: c, count: t.succeededByChannel[c] })),
  };
}

/** Attempted, delivered and fell back per step; undefined when there is no step to show. */
export function stepChart(id: string, rows: readonly StepTableRow[]): BarChart | undefined {
  if (rows.length === 0) return undefined;
  const max = Math.max(0, ...rows.map((r) => r.attempted));
  return barChart({
    id,
    title: 'Attempted, delivered and fell back per chain step',
    categories: rows.map((r) => `${r.position} · ${r.channel}`),
    series: [
      { name: 'Attempted', values: rows.map((r) => r.attempted) },
      { name: 'Delivered', values: rows.map((r) => r.delivered) },
      { name: 'Fell back', values: rows.map((r) => r.fellBack) },
    ],
    yMax: countAxisMax(max),
    width: 720,
  });
}

/** Everything the `fallback-steps` partial renders. */
export function fallbackSection(id: string, report: FallbackReport) {
  const steps = stepTable(report.rows);
  return { steps, totals: totalsView(report), chart: stepChart(id, steps) };
}
