/**
 * Click report over 10,000,000 clicks grouped by day × campaign, on a fresh database of the local
 * PostgreSQL server: the time of ClickReports.report() (rollups, plus each campaign's delivered
 * count, click rate and parse rate), median of 5 runs after a first call (which counts the
 * delivered messages; later calls reuse the counts for a minute, as in production).
 *
 * Data (generate_series, fixed seed), one account, 100 campaigns over 30 days:
 * - 50 personalised campaigns of 10,000 recipients (a link and a message each, 90 % delivered);
 *   their clicks come from the recipients (UV = recipients);
 * - 50 campaigns with one shared link, clicked by a pool of 200,000 visitors a day;
 * - half the campaigns are card campaigns of 10 card templates; 10 % of events are button taps,
 *   5 % bots; 20 campaigns have a smart-SMS parse report.
 * The clicks are bulk-loaded (indexes rebuilt after, as a restore would), the rollups built by
 * ClickRepository.rebuildRollups, and the rollup answer is checked against the same report
 * counted over the raw clicks (count(distinct) over 10,000,000 rows: timed once, for comparison).
 */
import { CampaignRepository } from '../../src/links/campaign.repository.js';
import { ClickReportRepository } from '../../src/links/click-report.repository.js';
import { ClickReports } from '../../src/links/click-reports.js';
import { ClickRepository } from '../../src/links/click.repository.js';
import { LinkRepository } from '../../src/links/link.repository.js';
import type { Results } from '../lib/results.js';
import { timeMedian, withScratchDatabase } from '../lib/scratch-database.js';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 10_000_000);
const RUNS = 5;
const FROM = new Date('2030-01-01T00:00:00Z');
const UNTIL = new Date('2030-01-31T00:00:00Z');

const SEED_SQL = [
  `insert into campaigns (account_id, id, name, card_template_id)
   select 'acc_bench', 'cmp_' || lpad(c::text, 3, '0'), 'Campaign ' || c, case when c % 2 = 0 then 'ctpl_' || (c % 20) / 2 end
     from generate_series(0, 99) c`,
  `insert into messages (id, account_id, to_number, category, text, encoding, parts, status, created_at)
   select 'msg_' || c || '_' || r, 'acc_bench', '+86139' || lpad((c * 10000 + r)::text, 8, '0'), 'marketing', 'bench', 'ucs2', 1,
          case when random() < 0.9 then 'delivered' else 'failed' end, timestamptz '2030-01-01 00:00Z'
     from generate_series(0, 49) c, generate_series(0, 9999) r`,
  `insert into links (code, account_id, kind, target_url, campaign_id, card_template_id, recipient_hash, message_id)
   select 'p' || c || 'x' || r, 'acc_bench', case when c % 2 = 0 then 'card' else 'redirect' end, 'https://acme.example/' || c,
          'cmp_' || lpad(c::text, 3, '0'), case when c % 2 = 0 then 'ctpl_' || (c % 20) / 2 end, decode(md5('r' || c || '_' || r), 'hex'), 'msg_' || c || '_' || r
     from generate_series(0, 49) c, generate_series(0, 9999) r`,
  `insert into links (code, account_id, kind, target_url, campaign_id, card_template_id)
   select 's' || c, 'acc_bench', case when c % 2 = 0 then 'card' else 'redirect' end, 'https://acme.example/' || c,
          'cmp_' || lpad(c::text, 3, '0'), case when c % 2 = 0 then 'ctpl_' || (c % 20) / 2 end
     from generate_series(50, 99) c`,
  `update campaigns set messages_attached_at = now() where id < 'cmp_050'`,
  `insert into campaign_parse_stats (account_id, campaign_id, requested, parsed, reported_at)
   select 'acc_bench', 'cmp_' || lpad(c::text, 3, '0'), 10000, 5000 + floor(random() * 1500)::int, now() from generate_series(0, 38, 2) c`,
];

/** One click per row: campaign, then recipient (personalised) or visitor of the day (shared). */
const CLICKS_SQL = (n: number) => `
  insert into clicks (event_id, account_id, code, campaign_id, template_id, kind, button, clicked_at, identity, personalised, device, os, browser, bot, bot_reason, method)
  select 'b-' || i, 'acc_bench',
         case when c < 50 then 'p' || c || 'x' || r else 's' || c end,
         'cmp_' || lpad(c::text, 3, '0'), case when c % 2 = 0 then 'ctpl_' || (c % 20) / 2 end,
         case when b then 'button' else 'open' end, case when b then (array['buy', 'more', 'copy'])[1 + floor(random() * 3)::int] end,
         ts, case when c < 50 then decode(md5('r' || c || '_' || r), 'hex') else decode(md5('v' || v || '_' || ts::date), 'hex') end,
         c < 50, case when bot then 'bot' else (array['mobile', 'mobile', 'mobile', 'tablet', 'desktop'])[1 + floor(random() * 5)::int] end,
         'Android', 'WeChat', bot, case when bot then 'preview' end, 'GET'
    from (select i, floor(random() * 100)::int as c, floor(random() * 10000)::int as r, floor(random() * 200000)::int as v,
                 random() < 0.1 as b, random() < 0.05 as bot, timestamptz '2030-01-01 00:00Z' + random() * interval '30 days' as ts
            from generate_series(1, ${n}) i) g`;

const CLICK_INDEXES = ['clicks_account_time', 'clicks_campaign_time', 'clicks_code'];

export async function run(results: Results): Promise<void> {
  await withScratchDatabase('bench_clicks', async (db, seeding) => {
    const loadStarted = performance.now();
    await seeding.query(`insert into accounts (id, name, callback_secret) values ('acc_bench', 'bench', 'x')`);
    await seeding.query('select setseed(0.42)');
    for (const sql of SEED_SQL) await seeding.query(sql);
    const definitions = (await seeding.query<{ indexdef: string }>(`select indexdef from pg_indexes where indexname = any($1)`, [CLICK_INDEXES])).rows.map((r) => r.indexdef);
    for (const name of CLICK_INDEXES) await seeding.query(`drop index ${name}`);
    await seeding.query("set maintenance_work_mem = '512MB'");
    await seeding.query(CLICKS_SQL(CLICKS));
    for (const def of definitions) await seeding.query(def);
    console.log(`  loaded ${CLICKS} clicks in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
    const rollupStarted = performance.now();
    await new ClickRepository(db).rebuildRollups('acc_bench');
    for (const t of ['links', 'messages', 'clicks', 'click_uniques', 'click_daily', 'campaigns']) await seeding.query(`vacuum analyze ${t}`);
    console.log(`  rollups built in ${((performance.now() - rollupStarted) / 1000).toFixed(1)} s`);

    const reports = new ClickReports({ repo: new ClickReportRepository(db), campaigns: new CampaignRepository(db), links: new LinkRepository(db), deliveredCacheMs: 60_000 });
    const query = { accountId: 'acc_bench', from: FROM, until: UNTIL, groupBy: ['campaign', 'day'] as ('campaign' | 'day')[], timeZone: 'UTC' };
    const coldStarted = performance.now();
    const report = await reports.report(query);
    const coldMs = performance.now() - coldStarted;
    if (report.source !== 'rollup' || report.rows.length !== 3000) throw new Error(`expected 3000 rollup rows, got ${report.rows.length} from ${report.source}`);
    const pv = report.rows.reduce((a, r) => a + r.pv, 0);
    const bots = report.rows.reduce((a, r) => a + r.bots, 0);
    const withRate = report.rows.filter((r) => r.clickRate !== null).length;
    console.log(`  ${report.rows.length} rows; PV ${pv} + bots ${bots} (button taps not in PV); rows with a click rate: ${withRate}; first call ${Math.round(coldMs)} ms (counts delivered messages)`);
    const reportMs = await timeMedian(RUNS, () => reports.report(query));

    // The same report counted over the raw clicks: the rollups must give exactly these numbers.
    const rawStarted = performance.now();
    const raw = await reports.report(query, 'clicks');
    const rawMs = performance.now() - rawStarted;
    const key = (r: { campaign?: string | null; day?: string | null; pv: number; uv: number; bots: number }) => `${r.campaign}|${r.day}|${r.pv}|${r.uv}|${r.bots}`;
    const mismatch = report.rows.findIndex((r, i) => key(r) !== key(raw.rows[i]));
    if (raw.rows.length !== report.rows.length || mismatch !== -1) {
      throw new Error(`rollup and raw counts differ at row ${mismatch}: ${JSON.stringify(report.rows[mismatch])} vs ${JSON.stringify(raw.rows[mismatch])}`);
    }
    console.log(`  the same report over the raw clicks (count distinct): ${Math.round(rawMs)} ms, identical rows`);
    results.add({ name: 'click_report_10m_ms', value: reportMs, unit: 'ms', target: '<= 1000 ms', note: `${CLICKS} clicks, 100 campaigns × 30 days from the daily rollups; raw count ${Math.round(rawMs)} ms; first call ${Math.round(coldMs)} ms` });
  });
}
