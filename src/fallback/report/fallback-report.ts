/**
 * The fallback report (GET /v1/reports/fallback): per step position and channel, how many steps
 * were tried, delivered, succeeded, fell back (and why), and how the sends ended. Shapes,
 * definitions and the CSV rendering; SQL in fallback-report.repository.ts.
 *
 * Definitions (also in README "Fallback reports" and the OpenAPI description):
 * - The report covers the account's sends created in [from, until) (optionally one campaign, one
 *   category); every step of such a send counts with it, however late the step ran.
 * - attempted: steps that started (claimed by the engine: every state but pending and skipped).
 * - succeeded: steps whose condition was met (the send ended on them).
 * - delivered: attempted steps whose latest channel status is delivered or read; read: read. A step
 *   can be delivered and still fall back (condition `read`, timeout).
 * - fellBack: steps that gave up and handed over to the next step (moved_on), by reason.
 * - failedLast: last steps that gave up (the send failed), by reason.
 * - pending: attempted steps not decided yet (sending or waiting).
 *   attempted = succeeded + fellBack + failedLast + pending.
 * - topReasonCodes: the most frequent (reason, code) pairs among fellBack and failedLast steps.
 * - totals (per send): sends, running, succeeded, failed, succeededByChannel.
 */
import { CHANNEL_NAMES, type ChannelName } from '../fallback-channel.js';
import type { MoveReason } from '../fallback.repository.js';
import { csvField } from '../../verify/backfill-report.js';

export const MOVE_REASONS = ['not_capable', 'not_renderable', 'rejected', 'failed', 'timeout'] as const satisfies readonly MoveReason[];
/** `step` groups by position and channel together (step 0 may be rcs in one chain, whatsapp in another). */
export const FALLBACK_DIMENSIONS = ['step', 'channel', 'day'] as const;
export type FallbackDimension = (typeof FALLBACK_DIMENSIONS)[number];
export const DEFAULT_FALLBACK_GROUP_BY: FallbackDimension[] = ['step'];
/** How many (reason, code) pairs a row lists. */
export const TOP_REASON_CODES = 5;

export interface FallbackReportQuery {
  accountId: string;
  from: Date;
  until: Date;
  /** IANA zone of `day`. */
  timeZone: string;
  groupBy: FallbackDimension[];
  campaignId?: string;
  category?: string;
}

export type ReasonCounts = Record<MoveReason, number>;

export interface StepMeasures {
  attempted: number;
  succeeded: number;
  delivered: number;
  read: number;
  fellBack: number;
  fellBackBy: ReasonCounts;
  failedLast: number;
  failedLastBy: ReasonCounts;
  pending: number;
  topReasonCodes: Array<{ reason: MoveReason; code: string; count: number }>;
}

/** One group: `step` and `channel` when grouped by step, `channel` when by channel, `day` when by day. */
export interface FallbackStepRow extends StepMeasures {
  step?: number;
  channel?: ChannelName;
  day?: string;
}

export interface SendTotals {
  sends: number;
  running: number;
  succeeded: number;
  failed: number;
  /** Every channel, 0 when no send ended on it. */
  succeededByChannel: Record<ChannelName, number>;
}

export interface FallbackReport {
  from: string;
  until: string;
  tz: string;
  groupBy: FallbackDimension[];
  campaign: string | null;
  category: string | null;
  rows: FallbackStepRow[];
  totals: SendTotals;
  /** Send totals per day (in `tz`) when grouped by day; else null. */
  days: Array<SendTotals & { day: string }> | null;
}

export const zeroReasons = (): ReasonCounts => Object.fromEntries(MOVE_REASONS.map((r) => [r, 0])) as ReasonCounts;
export const zeroChannels = (): Record<ChannelName, number> => Object.fromEntries(CHANNEL_NAMES.map((c) => [c, 0])) as Record<ChannelName, number>;

/** Richest channel first (the order chains usually take), not alphabetical. */
export const channelOrder = (c: string | undefined) => (c === undefined ? -1 : (CHANNEL_NAMES as readonly string[]).indexOf(c));

/** Rows in report order: day, then step position, then channel. */
export function compareRows(a: Pick<FallbackStepRow, 'day' | 'step' | 'channel'>, b: Pick<FallbackStepRow, 'day' | 'step' | 'channel'>): number {
  return (a.day ?? '').localeCompare(b.day ?? '') || (a.step ?? 0) - (b.step ?? 0) || channelOrder(a.channel) - channelOrder(b.channel);
}

/** The columns a row has for a grouping, in output order. */
export function dimensionColumns(groupBy: readonly FallbackDimension[]): Array<'day' | 'step' | 'channel'> {
  const cols: Array<'day' | 'step' | 'channel'> = [];
  if (groupBy.includes('day')) cols.push('day');
  if (groupBy.includes('step')) cols.push('step');
  if (groupBy.includes('step') || groupBy.includes('channel')) cols.push('channel');
  return cols;
}

const MEASURE_COLUMNS = [
  'attempted', 'succeeded', 'delivered', 'read',
  'fellBack', ...MOVE_REASONS.map((r) => `fellBackBy.${r}`),
  'failedLast', ...MOVE_REASONS.map((r) => `failedLastBy.${r}`),
  'pending', 'topReasonCodes',
] as const;

function measureCells(r: StepMeasures): Array<string | number> {
  return [
    r.attempted, r.succeeded, r.delivered, r.read,
    r.fellBack, ...MOVE_REASONS.map((m) => r.fellBackBy[m]),
    r.failedLast, ...MOVE_REASONS.map((m) => r.failedLastBy[m]),
    r.pending, r.topReasonCodes.map((c) => `${c.reason}/${c.code}=${c.count}`).join(' '),
  ];
}

/**
 * The step rows as CSV (RFC 4180: CRLF, header row): the dimensions, then the measures, reasons as
 * `fellBackBy.<reason>` columns and the top codes as `reason/code=count` separated by spaces.
 * The send totals are not rows (read the JSON).
 */
export function fallbackReportCsv(report: Pick<FallbackReport, 'groupBy' | 'rows'>): string {
  const dims = dimensionColumns(report.groupBy);
  const lines = [[...dims, ...MEASURE_COLUMNS].join(',')];
  for (const row of report.rows) lines.push([...dims.map((d) => row[d]), ...measureCells(row)].map((v) => csvField(v)).join(','));
  return lines.join('\r\n') + '\r\n';
}
