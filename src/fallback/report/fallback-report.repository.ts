/**
 * The SQL of the fallback report: three aggregates over the account's sends of the period (and
 * their steps), always scoped to one account. The sends are found by fallback_sends_account_created
 * (account, period) or, with a campaign, fallback_sends_account_campaign (migration 014); their
 * steps by the steps' primary key (send_id, idx).
 */
import type { Db } from '../../db/db-client.js';
import { AppError } from '../../http/app-error.js';
import { CHANNEL_NAMES, type ChannelName } from '../fallback-channel.js';
import type { MoveReason } from '../fallback.repository.js';
import { MOVE_REASONS, dimensionColumns, type FallbackReportQuery, type FallbackStepRow, type ReasonCounts, type SendTotals } from './fallback-report.js';

/** Counts of one group of steps, before the top reason codes are attached. */
export type StepCountRow = Omit<FallbackStepRow, 'topReasonCodes'>;

export interface ReasonCodeRow {
  day?: string;
  step?: number;
  channel?: ChannelName;
  reason: MoveReason;
  code: string;
  count: number;
}

type DbRow = Record<string, unknown>;

const STARTED = `s.state <> 'pending' and s.state <> 'skipped'`;
// Constants only (never input): the reason and channel names are interpolated as SQL literals.
const STEP_MEASURES = [
  `count(*) filter (where ${STARTED})::int as attempted`,
  `count(*) filter (where s.state = 'succeeded')::int as succeeded`,
  `count(*) filter (where ${STARTED} and s.status in ('delivered', 'read'))::int as delivered`,
  `count(*) filter (where ${STARTED} and s.status = 'read')::int as read`,
  `count(*) filter (where s.state = 'moved_on')::int as fell_back`,
  ...MOVE_REASONS.map((r) => `count(*) filter (where s.state = 'moved_on' and s.reason = '${r}')::int as "moved_${r}"`),
  `count(*) filter (where s.state = 'failed')::int as failed_last`,
  ...MOVE_REASONS.map((r) => `count(*) filter (where s.state = 'failed' and s.reason = '${r}')::int as "failed_${r}"`),
  `count(*) filter (where s.state = 'sending' or s.state = 'waiting')::int as pending`,
].join(',\n       ');
const SEND_MEASURES = [
  'count(*)::int as sends',
  `count(*) filter (where f.state = 'running')::int as running`,
  `count(*) filter (where f.state = 'succeeded')::int as succeeded`,
  `count(*) filter (where f.state = 'failed')::int as failed`,
  ...CHANNEL_NAMES.map((c) => `count(*) filter (where f.state = 'succeeded' and f.succeeded_channel = '${c}')::int as "ok_${c}"`),
].join(',\n       ');

const DIMENSION_SQL = { day: `to_char(f.created_at at time zone $4, 'YYYY-MM-DD')`, step: 's.idx', channel: 's.channel' } as const;

const reasons = (r: DbRow, prefix: string) => Object.fromEntries(MOVE_REASONS.map((m) => [m, Number(r[`${prefix}_${m}`])])) as ReasonCounts;

function dims(r: DbRow, cols: ReadonlyArray<'day' | 'step' | 'channel'>): Pick<StepCountRow, 'day' | 'step' | 'channel'> {
  const out: Pick<StepCountRow, 'day' | 'step' | 'channel'> = {};
  for (const c of cols) {
    if (c === 'step') out.step = Number(r.step);
    else if (c === 'channel') out.channel = r.channel as ChannelName;
    else out.day = r.day as string;
  }
  return out;
}

export function sendTotalsOf(r: DbRow | undefined): SendTotals {
  return {
    sends: Number(r?.sends ?? 0), running: Number(r?.running ?? 0), succeeded: Number(r?.succeeded ?? 0), failed: Number(r?.failed ?? 0),
    succeededByChannel: Object.fromEntries(CHANNEL_NAMES.map((c) => [c, Number(r?.[`ok_${c}`] ?? 0)])) as Record<ChannelName, number>,
  };
}

export class FallbackReportRepository {
  constructor(private readonly db: Db) {}

  /** Step counts per group (every group with at least one step, started or not). */
  async stepCounts(q: FallbackReportQuery): Promise<StepCountRow[]> {
    const cols = dimensionColumns(q.groupBy);
    const { sql, params } = this.scoped(q, cols, STEP_MEASURES, true, '');
    const rows = await this.run(sql, params);
    return rows.map((r) => ({
      ...dims(r, cols),
      attempted: Number(r.attempted), succeeded: Number(r.succeeded), delivered: Number(r.delivered), read: Number(r.read),
      fellBack: Number(r.fell_back), fellBackBy: reasons(r, 'moved'),
      failedLast: Number(r.failed_last), failedLastBy: reasons(r, 'failed'),
      pending: Number(r.pending),
    }));
  }

  /** How often each (reason, code) made a step of a group give up (fell back or failed last). */
  async reasonCodes(q: FallbackReportQuery): Promise<ReasonCodeRow[]> {
    const cols = dimensionColumns(q.groupBy);
    const { sql, params } = this.scoped(
      q, [...cols, 'reason', 'code'], 'count(*)::int as n', true,
      `and (s.state = 'moved_on' or s.state = 'failed') and s.reason_code is not null`,
    );
    const rows = await this.run(sql, params);
    return rows.map((r) => ({ ...dims(r, cols), reason: r.reason as MoveReason, code: r.code as string, count: Number(r.n) }));
  }

  /** Send totals: one row for the period, or one per day. */
  async sendTotals(q: FallbackReportQuery, byDay: boolean): Promise<Array<SendTotals & { day?: string }>> {
    const { sql, params } = this.scoped(q, byDay ? ['day'] : [], SEND_MEASURES, false, '');
    const rows = await this.run(sql, params);
    return rows.map((r) => ({ ...(byDay ? { day: r.day as string } : {}), ...sendTotalsOf(r) }));
  }

  /**
   * One aggregate over the account's sends of the period (joined to their steps when `steps`),
   * grouped by `keys`. Without keys, one row (zeros when there is nothing).
   */
  private scoped(q: FallbackReportQuery, keys: ReadonlyArray<'day' | 'step' | 'channel' | 'reason' | 'code'>, measures: string, steps: boolean, extra: string) {
    // $4 (the zone) is referenced even when no key needs it: PostgreSQL must type every parameter.
    const params: unknown[] = [q.accountId, q.from, q.until, q.timeZone];
    const filters: string[] = [];
    if (q.campaignId !== undefined) params.push(q.campaignId), filters.push(`and f.campaign_id = $${params.length}`);
    if (q.category !== undefined) params.push(q.category), filters.push(`and f.category = $${params.length}`);
    const keySql = keys.map((k) => (k === 'reason' ? 's.reason as reason' : k === 'code' ? 's.reason_code as code' : `${DIMENSION_SQL[k]} as ${k}`));
    const sql = `
      select ${[...keySql, measures].join(', ')}
        from fallback_sends f ${steps ? 'join fallback_steps s on s.send_id = f.id' : ''}
       where f.account_id = $1 and f.created_at >= $2 and f.created_at < $3 and $4::text is not null
             ${filters.join(' ')} ${extra}
       ${keys.length ? `group by ${keys.map((_, i) => i + 1).join(', ')}` : ''}`;
    return { sql, params };
  }

  private run(sql: string, params: unknown[]): Promise<DbRow[]> {
    return this.db.query(sql, params).catch((err: { code?: string; message?: string }) => {
      // Intl and the database may disagree on a rare zone name: still the caller's input.
      if (err?.code === '22023' && /time ?zone/i.test(err.message ?? '')) {
        throw new AppError(400, 'INVALID_TIME_ZONE', `tz: unknown time zone "${String(params[3]).slice(0, 60)}"`, 'tz');
      }
      throw err;
    });
  }
}
