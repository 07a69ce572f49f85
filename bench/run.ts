/**
 * `npm run bench [-- <name-prefix>]`: runs the benchmarks whose figure names start with the prefix
 * (all by default), prints a table and merges the figures into bench/results/latest.json.
 * Needs the local PostgreSQL server (BENCH_DATABASE_URL, default postgres@127.0.0.1:5432) and Redis.
 */
import { Results } from './lib/results.js';
import * as rawSmpp from './scenarios/raw-smpp.bench.js';
import * as acceptBatch from './scenarios/accept-batch.bench.js';
import * as e2e from './scenarios/e2e.bench.js';
import * as otpLatency from './scenarios/otp-latency.bench.js';
import * as smppIngest from './scenarios/smpp-ingest.bench.js';
import * as verifyLatency from './scenarios/verify-latency.bench.js';
import * as backfillReport from './scenarios/backfill-report.bench.js';
import * as redirect from './scenarios/redirect.bench.js';
import * as linkGen from './scenarios/link-gen.bench.js';
import * as clickReport from './scenarios/click-report.bench.js';
import * as fallbackBench from './scenarios/fallback.bench.js';
import * as mmsFit from './scenarios/mms-fit.bench.js';

const prefix = process.argv[2] ?? '';
const wants = (...names: string[]) => names.some((n) => n.startsWith(prefix) || prefix.startsWith(n.split('_')[0]));

const results = new Results();
let raw: { submitOnly: number; withReceipts: number } | undefined;
if (wants('raw_smpp_msgs_per_s', 'e2e_msgs_per_s', 'e2e_ratio_vs_raw_smpp', 'smpp_ingest_submit_per_s')) {
  console.log('raw smpp loopback…');
  raw = await rawSmpp.run(results);
}
if (wants('accept_batch_msgs_per_s')) {
  console.log('accept batch…');
  await acceptBatch.run(results);
}
if (wants('e2e_msgs_per_s', 'e2e_ratio_vs_raw_smpp', 'platform_rss_mb')) {
  console.log('end to end…');
  await e2e.run(results, raw?.withReceipts);
}
if (wants('otp_latency_p99_ms')) {
  console.log('OTP latency…');
  await otpLatency.run(results);
}
if (wants('smpp_ingest_submit_per_s', 'smpp_ingest_ratio_vs_raw')) {
  console.log('SMPP server ingest…');
  await smppIngest.run(results, raw?.submitOnly);
}
if (wants('verify_latency_p99_ms')) {
  console.log('verification latency…');
  await verifyLatency.run(results);
}
if (wants('backfill_report_1m_ms', 'backfill_count_1m_ms')) {
  console.log('backfill report…');
  await backfillReport.run(results);
}
if (wants('redirect_req_per_s', 'bare_http_req_per_s', 'redirect_ratio_vs_bare', 'redirect_p99_ms')) {
  console.log('short-link redirects…');
  await redirect.run(results);
}
if (wants('link_gen_100k_ms')) {
  console.log('personalised link generation…');
  await linkGen.run(results);
}
if (wants('click_report_10m_ms')) {
  console.log('click report…');
  await clickReport.run(results);
}
if (wants('mms_fit_median_ms', 'mms_fit_bytes')) {
  console.log('MMS picture fitting…');
  await mmsFit.run(results);
}
if (wants('fallback_decision_p99_ms', 'fallback_campaign_10k_s')) {
  console.log('fallback chain campaign…');
  await fallbackBench.run(results);
}
results.print();
results.write();
process.exit(0);
