/**
 * The fallback report (FallbackReports over FallbackReportRepository) on both engines, against
 * sends driven through the real FallbackRepository moves: a small campaign whose every number is
 * counted by hand below, and a few hundred random sends recounted in plain code from the rows as
 * FallbackRepository.get reads them back, for every grouping and filter. Other accounts' sends
 * (the same campaign id) and sends outside the period never count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../../../src/accounts/account.js';
import type { Db } from '../../../src/db/db-client.js';
import { CHANNEL_NAMES, type ChannelName } from '../../../src/fallback/fallback-channel.js';
import { FallbackRepository, type FallbackSendRecord, type FallbackStep, type MoveReason } from '../../../src/fallback/fallback.repository.js';
import { MOVE_REASONS, fallbackReportCsv, type FallbackDimension, type FallbackReport, type FallbackStepRow } from '../../../src/fallback/report/fallback-report.js';
import { FallbackReportRepository } from '../../../src/fallback/report/fallback-report.repository.js';
import { FallbackReports } from '../../../src/fallback/report/fallback-reports.js';
import { engines, openTestDb } from '../../support/databases.js';
import { seedSend, type SeedSend, type StepScript } from '../../support/fallback-seed.js';

const FROM = new Date('2030-03-01T00:00:00Z');
const UNTIL = new Date('2030-03-04T00:00:00Z');
const at = (iso: string) => new Date(iso);
const zeros = { not_capable: 0, not_renderable: 0, rejected: 0, failed: 0, timeout: 0 };
const noOk = { rcs: 0, smart_sms: 0, mms: 0, whatsapp: 0, sms: 0 };

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(engines)('fallback report on %s', (engine) => {
  let db: Db;
  let repo: FallbackRepository;
  let reports: FallbackReports;
  const report = (q: Partial<Parameters<FallbackReports['report']>[0]> = {}) =>
    reports.report({ accountId: 'acc_a', from: FROM, until: UNTIL, timeZone: 'UTC', groupBy: ['step'], ...q });

  beforeAll(async () => {
    db = await openTestDb(engine);
    for (const id of ['acc_a', 'acc_b', 'acc_r']) await db.query(`insert into accounts (id, name, callback_secret) values ($1, $1, 'x')`, [id]);
    repo = new FallbackRepository(db);
    reports = new FallbackReports(new FallbackReportRepository(db));
    const spring = (id: string, createdAt: string, chain: ChannelName[], script: StepScript[], extra: Partial<SeedSend> = {}): SeedSend =>
      ({ id, accountId: 'acc_a', campaignId: 'spring', category: 'marketing', createdAt: at(createdAt), chain, script, ...extra });
    const nc: StepScript = { do: 'move', reason: 'not_capable', code: 'DELIVERY_IMPOSSIBLE', status: 'not_capable' };
    const sends: SeedSend[] = [
      // Day 1, 23:30 UTC (day 2 in Shanghai).
      spring('s1', '2030-03-01T23:30:00Z', ['rcs', 'smart_sms', 'sms'], [{ do: 'succeed', status: 'delivered', later: 'read' }]),
      spring('s2', '2030-03-01T23:30:00Z', ['rcs', 'smart_sms', 'sms'], [nc, { do: 'succeed', status: 'delivered' }]),
      spring('s3', '2030-03-01T23:30:00Z', ['rcs', 'smart_sms', 'sms'], [nc, { do: 'move', reason: 'rejected', code: 'PARSE_REJECTED' },
        { do: 'move', reason: 'failed', code: 'DLR_FAILED', sent: 'sent', status: 'failed' }]),
      // Day 2, 10:00 UTC.
      spring('s4', '2030-03-02T10:00:00Z', ['rcs', 'smart_sms', 'sms'], [{ do: 'move', reason: 'timeout', code: 'TIMEOUT', sent: 'delivered' }, { do: 'wait', status: 'sent' }]),
      spring('s5', '2030-03-02T10:00:00Z', ['rcs', 'sms'], [{ do: 'claim' }]),
      spring('s6', '2030-03-02T10:00:00Z', ['rcs', 'sms'], [{ do: 'move', reason: 'not_renderable', code: 'CARD_TOO_BIG' }, { do: 'succeed', status: 'accepted' }], { category: 'notification' }),
      // Never counted in acc_a's spring report: another account, another campaign, before the period, after it.
      spring('s7', '2030-03-02T10:00:00Z', ['rcs', 'sms'], [nc, { do: 'succeed', status: 'delivered' }], { accountId: 'acc_b' }),
      spring('s8', '2030-03-02T10:00:00Z', ['sms'], [{ do: 'succeed', status: 'delivered' }], { campaignId: 'autumn' }),
      spring('s9', '2030-02-28T23:59:59Z', ['rcs'], [{ do: 'succeed', status: 'delivered' }]),
      spring('s10', '2030-03-04T00:00:00Z', ['rcs'], [{ do: 'succeed', status: 'delivered' }]),
    ];
    for (const s of sends) await seedSend(repo, s);
  });
  afterAll(async () => db?.close());

  it('when a campaign is grouped by step, then every count is the hand count of its sends', async () => {
    const r = await report({ campaignId: 'spring' });

    expect(r.rows).toEqual([
      {
        step: 0, channel: 'rcs', attempted: 6, succeeded: 1, delivered: 2, read: 1,
        fellBack: 4, fellBackBy: { ...zeros, not_capable: 2, not_renderable: 1, timeout: 1 }, failedLast: 0, failedLastBy: zeros, pending: 1,
        topReasonCodes: [
          { reason: 'not_capable', code: 'DELIVERY_IMPOSSIBLE', count: 2 },
          { reason: 'not_renderable', code: 'CARD_TOO_BIG', count: 1 },
          { reason: 'timeout', code: 'TIMEOUT', count: 1 },
        ],
      },
      {
        step: 1, channel: 'smart_sms', attempted: 3, succeeded: 1, delivered: 1, read: 0,
        fellBack: 1, fellBackBy: { ...zeros, rejected: 1 }, failedLast: 0, failedLastBy: zeros, pending: 1,
        topReasonCodes: [{ reason: 'rejected', code: 'PARSE_REJECTED', count: 1 }],
      },
      // s5's sms step was never started, s6's succeeded on `accepted`.
      { step: 1, channel: 'sms', attempted: 1, succeeded: 1, delivered: 0, read: 0, fellBack: 0, fellBackBy: zeros, failedLast: 0, failedLastBy: zeros, pending: 0, topReasonCodes: [] },
      {
        step: 2, channel: 'sms', attempted: 1, succeeded: 0, delivered: 0, read: 0, fellBack: 0, fellBackBy: zeros,
        failedLast: 1, failedLastBy: { ...zeros, failed: 1 }, pending: 0, topReasonCodes: [{ reason: 'failed', code: 'DLR_FAILED', count: 1 }],
      },
    ]);
    expect(r.totals).toEqual({ sends: 6, running: 2, succeeded: 3, failed: 1, succeededByChannel: { ...noOk, rcs: 1, smart_sms: 1, sms: 1 } });
    expect(r).toMatchObject({ from: FROM.toISOString(), until: UNTIL.toISOString(), tz: 'UTC', groupBy: ['step'], campaign: 'spring', category: null, days: null });
  });

  it('when grouped by channel, filtered by category, or by day in a zone, then the same sends are cut that way', async () => {
    const byChannel = await report({ campaignId: 'spring', groupBy: ['channel'] });
    expect(byChannel.rows.map((r) => [r.channel, r.attempted, r.succeeded, r.fellBack, r.failedLast, r.pending])).toEqual([
      ['rcs', 6, 1, 4, 0, 1], ['smart_sms', 3, 1, 1, 0, 1], ['sms', 2, 1, 0, 1, 0],
    ]);
    expect(byChannel.rows[0]).not.toHaveProperty('step');

    const notification = await report({ campaignId: 'spring', category: 'notification' });
    expect(notification.rows.map((r) => [r.step, r.channel, r.attempted, r.succeeded, r.fellBack])).toEqual([[0, 'rcs', 1, 0, 1], [1, 'sms', 1, 1, 0]]);
    expect(notification.totals).toMatchObject({ sends: 1, succeeded: 1, succeededByChannel: { ...noOk, sms: 1 } });

    // 23:30 UTC on the 1st is the 2nd in Shanghai: every spring send is on the 2nd there.
    const shanghai = await report({ campaignId: 'spring', groupBy: ['day', 'step'], timeZone: 'Asia/Shanghai' });
    expect(new Set(shanghai.rows.map((r) => r.day))).toEqual(new Set(['2030-03-02']));
    expect(shanghai.days).toEqual([{ day: '2030-03-02', sends: 6, running: 2, succeeded: 3, failed: 1, succeededByChannel: { ...noOk, rcs: 1, smart_sms: 1, sms: 1 } }]);
    const utc = await report({ campaignId: 'spring', groupBy: ['day'] });
    expect(utc.rows.map((r) => [r.day, r.attempted, r.fellBack, r.failedLast])).toEqual([['2030-03-01', 6, 3, 1], ['2030-03-02', 5, 2, 0]]);
    expect(utc.days!.map((d) => [d.day, d.sends, d.running, d.succeeded, d.failed])).toEqual([['2030-03-01', 3, 0, 2, 1], ['2030-03-02', 3, 2, 1, 0]]);
  });

  it('when another account asks for the same campaign id, then it sees only its own send', async () => {
    const b = await report({ accountId: 'acc_b', campaignId: 'spring' });
    expect(b.totals).toEqual({ sends: 1, running: 0, succeeded: 1, failed: 0, succeededByChannel: { ...noOk, sms: 1 } });
    expect(b.rows.map((r) => [r.step, r.channel, r.attempted])).toEqual([[0, 'rcs', 1], [1, 'sms', 1]]);
    const none = await report({ accountId: 'acc_b', campaignId: 'autumn' });
    expect(none).toMatchObject({ rows: [], totals: { sends: 0, running: 0, succeeded: 0, failed: 0, succeededByChannel: noOk } });
  });

  it('when asked as CSV, then the rows come with the reason columns and top codes', async () => {
    const csv = fallbackReportCsv(await report({ campaignId: 'spring' }));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('step,channel,attempted,succeeded,delivered,read,fellBack,fellBackBy.not_capable,fellBackBy.not_renderable,fellBackBy.rejected,fellBackBy.failed,fellBackBy.timeout,'
      + 'failedLast,failedLastBy.not_capable,failedLastBy.not_renderable,failedLastBy.rejected,failedLastBy.failed,failedLastBy.timeout,pending,topReasonCodes');
    expect(lines[1]).toBe('0,rcs,6,1,2,1,4,2,1,0,0,1,0,0,0,0,0,0,1,not_capable/DELIVERY_IMPOSSIBLE=2 not_renderable/CARD_TOO_BIG=1 timeout/TIMEOUT=1');
    expect(lines).toHaveLength(6); // header, 4 rows, the empty string after the last CRLF
  });

  it('when a few hundred random sends are made, then every grouping and filter equals a recount of their rows', async () => {
    // Arrange: random chains and outcomes for acc_r, over 5 days around the period, 3 campaigns and none.
    const rnd = prng(20300301);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const seeds: SeedSend[] = [];
    for (let i = 0; i < 240; i++) {
      const chain = [...CHANNEL_NAMES].sort(() => rnd() - 0.5).slice(0, 1 + Math.floor(rnd() * 3));
      const script: StepScript[] = [];
      for (let s = 0; s < chain.length; s++) {
        const roll = rnd();
        if (roll < 0.08) break; // stays pending
        if (roll < 0.14) { script.push({ do: 'claim' }); break; }
        if (roll < 0.22) { script.push({ do: 'wait', status: pick(['accepted', 'sent', 'delivered'] as const) }); break; }
        if (roll < 0.5) { script.push({ do: 'succeed', status: pick(['accepted', 'delivered', 'read'] as const), later: rnd() < 0.3 ? 'read' : undefined }); break; }
        const reason = pick(MOVE_REASONS);
        script.push({ do: 'move', reason, code: rnd() < 0.1 ? null : `${reason.toUpperCase()}_${Math.floor(rnd() * 3)}`, sent: reason === 'timeout' || reason === 'failed' ? pick(['sent', 'delivered'] as const) : undefined, status: reason === 'failed' ? 'failed' : undefined });
      }
      seeds.push({
        id: `r${i}`, accountId: 'acc_r', campaignId: pick(['c1', 'c2', 'c3', null]), category: pick(CATEGORIES),
        createdAt: new Date(Date.UTC(2030, 1, 28) + Math.floor(rnd() * 5 * 86_400_000)), chain, script,
      });
    }
    for (const s of seeds) await seedSend(repo, s);
    const records = (await Promise.all(seeds.map((s) => repo.get('acc_r', s.id)))) as FallbackSendRecord[];

    // Act + Assert
    const cases: Array<{ groupBy: FallbackDimension[]; campaignId?: string; category?: Category; timeZone?: string }> = [
      { groupBy: ['step'] }, { groupBy: ['channel'] }, { groupBy: ['day'] }, { groupBy: ['day', 'step'], timeZone: 'America/New_York' },
      { groupBy: ['step'], campaignId: 'c2' }, { groupBy: ['channel'], category: 'otp' }, { groupBy: ['step', 'day'], campaignId: 'c1', category: 'marketing' },
    ];
    for (const c of cases) {
      const got = await report({ accountId: 'acc_r', ...c });
      expect(got, JSON.stringify(c)).toEqual(recount(records, { from: FROM, until: UNTIL, timeZone: 'UTC', ...c }, got));
    }
  });
});

/** The report counted in plain code from the sends' rows (the definitions in fallback-report.ts). */
function recount(
  records: FallbackSendRecord[],
  q: { from: Date; until: Date; timeZone: string; groupBy: FallbackDimension[]; campaignId?: string; category?: string },
  got: FallbackReport,
): FallbackReport {
  const dayIn = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: q.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const sends = records.filter((s) => s.createdAt >= q.from && s.createdAt < q.until
    && (q.campaignId === undefined || s.campaignId === q.campaignId) && (q.category === undefined || s.category === q.category));
  const byDay = q.groupBy.includes('day');
  const withStep = q.groupBy.includes('step');
  const withChannel = withStep || q.groupBy.includes('channel');
  const rows = new Map<string, FallbackStepRow & { codes: Map<string, number> }>();
  for (const s of sends) {
    for (const st of s.steps) {
      const dims = { ...(byDay ? { day: dayIn(s.createdAt) } : {}), ...(withStep ? { step: st.idx } : {}), ...(withChannel ? { channel: st.channel } : {}) };
      const key = JSON.stringify(dims);
      const row = rows.get(key) ?? { ...dims, attempted: 0, succeeded: 0, delivered: 0, read: 0, fellBack: 0, fellBackBy: { ...zeros }, failedLast: 0, failedLastBy: { ...zeros }, pending: 0, topReasonCodes: [], codes: new Map() };
      rows.set(key, row);
      count(row, st);
    }
  }
  const totalsOf = (list: FallbackSendRecord[]) => {
    const ok: Record<ChannelName, number> = { ...noOk };
    for (const s of list) if (s.state === 'succeeded') ok[s.succeededChannel!]++;
    return { sends: list.length, running: list.filter((s) => s.state === 'running').length, succeeded: list.filter((s) => s.state === 'succeeded').length, failed: list.filter((s) => s.state === 'failed').length, succeededByChannel: ok };
  };
  const days = byDay ? [...new Set(sends.map((s) => dayIn(s.createdAt)))].sort().map((day) => ({ day, ...totalsOf(sends.filter((s) => dayIn(s.createdAt) === day)) })) : null;
  const order = (r: FallbackStepRow) => [r.day ?? '', String(r.step ?? 0).padStart(3, '0'), String(CHANNEL_NAMES.indexOf(r.channel!)).padStart(3, '0')].join('|');
  return {
    from: q.from.toISOString(), until: q.until.toISOString(), tz: q.timeZone, groupBy: got.groupBy, campaign: q.campaignId ?? null, category: q.category ?? null,
    rows: [...rows.values()].sort((a, b) => order(a).localeCompare(order(b))).map(({ codes, ...r }) => ({
      ...r,
      topReasonCodes: [...codes].map(([k, n]) => ({ reason: k.split('|')[0] as MoveReason, code: k.split('|')[1], count: n }))
        .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.reason < b.reason ? -1 : 1)).slice(0, 5),
    })),
    totals: totalsOf(sends),
    days,
  };
}

function count(row: FallbackStepRow & { codes: Map<string, number> }, st: FallbackStep): void {
  if (st.state === 'pending' || st.state === 'skipped') return;
  row.attempted++;
  if (st.state === 'succeeded') row.succeeded++;
  if (st.status === 'delivered' || st.status === 'read') row.delivered++;
  if (st.status === 'read') row.read++;
  if (st.state === 'sending' || st.state === 'waiting') row.pending++;
  if (st.state === 'moved_on') {
    row.fellBack++;
    row.fellBackBy[st.reason!]++;
  }
  if (st.state === 'failed') {
    row.failedLast++;
    row.failedLastBy[st.reason!]++;
  }
  if ((st.state === 'moved_on' || st.state === 'failed') && st.reasonCode !== null) {
    const k = `${st.reason}|${st.reasonCode}`;
    row.codes.set(k, (row.codes.get(k) ?? 0) + 1);
  }
}
