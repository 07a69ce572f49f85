/**
 * Backfill report over 1,000,000 verification attempts of one account (plus 100,000 of another),
 * grouped by country × route × day, on a fresh database of the local PostgreSQL server: the time of
 * BackfillReportRepository.report() (the SQL and the mapping of its rows), median of 5 runs after a
 * warm-up. Baseline: a bare `select count(*)` over the same rows, so the ratio says what the report
 * costs beyond reading them.
 *
 * Data (generate_series, fixed seed): 30 countries, 6 routes (5 SMS + whatsapp), 10 senders,
 * 30 days; 2 % fail at submit; delivery 58–85 % and backfill ~55–80 % by route; one verification
 * in ten has a second attempt (a resend), and only a verification's last attempt can be credited
 * with the approval; times to verify 3 s to 3 min, skewed short.
 */
import { BackfillReportRepository } from '../../src/verify/backfill-report.repository.js';
import type { Results } from '../lib/results.js';
import { timeMedian, withScratchDatabase } from '../lib/scratch-database.js';

const ATTEMPTS = Number(process.env.BENCH_BACKFILL_ATTEMPTS ?? 1_000_000);
const RUNS = 5;
const FROM = new Date('2030-01-01T00:00:00Z');
// Resends come 45 s after their first send, so the last ones fall just after the 30 days.
const UNTIL = new Date('2030-02-01T00:00:00Z');

// One row per verification; ids 0..V-1. Attempts 0..V-1 are first sends, V..N-1 resends of 0..N-V-1.
const SEED_SQL = (accountId: string, attempts: number, idPrefix: string) => {
  const verifications = Math.round(attempts / 1.1);
  return [
    `create temp table g on commit drop as
     select v,
       (array['US','CA','VN','IN','ID','BR','GB','DE','SA','AE','NG','MX','PH','TH','MY','FR','ES','IT','TR','EG','PK','BD','KE','ZA','AR','CO','PE','PL','NL','JP'])[1 + floor(random() * 30)::int] as country,
       'SENDER' || floor(random() * 10)::int as sender,
       timestamptz '2030-01-01 00:00Z' + random() * interval '30 days' as created_at
     from generate_series(0, ${verifications - 1}) v`,
    `insert into verifications (id, account_id, to_number, country, channels, code_hash, code_length, expires_at, created_at, status)
     select '${idPrefix}v' || v, '${accountId}', '+1555' || lpad(v::text, 7, '0'), country, '{sms}', 'bench', 6, created_at + interval '10 minutes', created_at, 'pending' from g`,
    `insert into verification_attempts (id, verification_id, account_id, seq, channel, route, connection, sender_id, country, status, reason,
                                        sent_at, delivered_at, verified_at, created_at)
     select '${idPrefix}a' || i, '${idPrefix}v' || v, '${accountId}', seq,
       case when r = 6 then 'whatsapp' else 'sms' end,
       (array['sim-direct','premium-direct','good-direct','mixed-a','mixed-b','whatsapp'])[r],
       'conn-' || r, case when r = 6 then null else sender end, country,
       case when failed then 'failed' when delivered then 'delivered' else 'sent' end,
       case when seq = 1 then 'initial' else 'resend' end,
       case when not failed then t + interval '40 milliseconds' end,
       case when not failed and delivered then t + interval '40 milliseconds' + random() * interval '10 seconds' end,
       case when not failed and last and random() < (array[0.88, 0.86, 0.79, 0.64, 0.605, 0.77])[r]
            then t + interval '40 milliseconds' + (3 + random() ^ 2 * 177) * interval '1 second' end,
       t
     from (
       select i, v, seq, country, sender, t, r, random() < 0.02 as failed,
              random() < (array[0.85, 0.80, 0.72, 0.62, 0.58, 0.68])[r] as delivered,
              seq = 2 or v >= ${attempts - verifications} as last
         from (
           select i, case when i < ${verifications} then i else i - ${verifications} end as v,
                  case when i < ${verifications} then 1 else 2 end as seq,
                  1 + floor(random() * 6)::int as r
             from generate_series(0, ${attempts - 1}) i) a
         join (select v, country, sender, created_at from g) gv using (v)
         cross join lateral (select gv.created_at + (a.seq - 1) * interval '45 seconds' as t) tt
     ) x`,
  ];
};

export async function run(results: Results): Promise<void> {
  await withScratchDatabase('bench_backfill', async (db, seeding) => {
    const loadStarted = performance.now();
    await seeding.query(`insert into accounts (id, name, callback_secret) values ('acc_bench', 'bench', 'x'), ('acc_noise', 'noise', 'x')`);
    for (const [accountId, attempts, prefix] of [['acc_bench', ATTEMPTS, 'b'], ['acc_noise', Math.round(ATTEMPTS / 10), 'n']] as const) {
      await seeding.query('begin');
      await seeding.query('select setseed(0.42)');
      for (const sql of SEED_SQL(accountId, attempts, prefix)) await seeding.query(sql);
      await seeding.query('commit');
    }
    // As autovacuum would have left a table that old: statistics and the visibility map.
    await seeding.query('vacuum analyze verifications');
    await seeding.query('vacuum analyze verification_attempts');
    console.log(`  loaded ${ATTEMPTS} + ${Math.round(ATTEMPTS / 10)} attempts in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    const repo = new BackfillReportRepository(db);
    const query = { accountId: 'acc_bench', from: FROM, until: UNTIL, groupBy: ['country', 'route', 'day'] as const, timeZone: 'UTC' };
    const report = await repo.report({ ...query, groupBy: [...query.groupBy] });
    if (report.totals.attempts !== ATTEMPTS) throw new Error(`the report counted ${report.totals.attempts} attempts, expected ${ATTEMPTS}`);
    console.log(`  ${report.rows.length} rows; totals: sent ${report.totals.sent}, delivered ${report.totals.delivered}, verified ${report.totals.verified}, backfill ${(report.totals.backfillRate! * 100).toFixed(1)} %, median ${report.totals.medianTimeToVerifyMs} ms, p90 ${report.totals.p90TimeToVerifyMs} ms`);
    const reportMs = await timeMedian(RUNS, () => repo.report({ ...query, groupBy: [...query.groupBy] }));
    await db.query('select count(*) from verification_attempts where account_id = $1 and created_at >= $2 and created_at < $3', ['acc_bench', FROM, UNTIL]);
    const countMs = await timeMedian(RUNS, () =>
      db.query('select count(*) from verification_attempts where account_id = $1 and created_at >= $2 and created_at < $3', ['acc_bench', FROM, UNTIL]));
    results.add({ name: 'backfill_count_1m_ms', value: countMs, unit: 'ms', target: 'baseline' });
    results.add({ name: 'backfill_report_1m_ms', value: reportMs, unit: 'ms', baseline: countMs, ratio: reportMs / countMs, target: '<= 1000 ms' });
  });
}
