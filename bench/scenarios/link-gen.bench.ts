/**
 * Personalised links for a 100,000-recipient card campaign: LinkService.createPersonalisedLinks on
 * a fresh database of the local PostgreSQL server and the local Redis, as a card send calls it:
 * one code per recipient (collision-checked by the primary key), an HMAC of each number, each
 * recipient's card variables, all in one transaction, then every link written to the Redis link
 * cache. Median of 3 campaigns after a 1,000-link warm-up.
 */
import pg from 'pg';
import { Redis } from 'ioredis';
import { connectPostgres } from '../../src/db/db-client.js';
import { migrate } from '../../src/db/migrate.js';
import { CampaignRepository } from '../../src/links/campaign.repository.js';
import { Identities } from '../../src/links/identity.js';
import { LinkCache } from '../../src/links/link-cache.js';
import { LinkRepository } from '../../src/links/link.repository.js';
import { LinkService } from '../../src/links/link.service.js';
import { createLogger } from '../../src/logging/logger.js';
import type { Results } from '../lib/results.js';
import { deleteKeys } from '../lib/redis-keys.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RECIPIENTS = Number(process.env.BENCH_LINK_RECIPIENTS ?? 100_000);
const RUNS = 3;

const recipients = (campaign: number, n: number) => Array.from({ length: n }, (_, i) => ({
  to: `+86139${String(campaign * 1_000_000 + i).padStart(8, '0')}`,
  variables: { name: `会员${i}`, amount: 10 + (i % 90), coupon: `C${campaign}-${i}` },
}));

export async function run(results: Results): Promise<void> {
  const dbName = `bench_links_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  const db = await connectPostgres(url.toString(), { max: 4 });
  const redis = new Redis(REDIS_URL);
  const prefix = `blg${Date.now().toString(36)}`;
  try {
    await migrate(db);
    await db.query(`insert into accounts (id, name, callback_secret) values ('acc_bench', 'bench', 'x')`);
    const logger = createLogger('warn');
    const repo = new LinkRepository(db);
    const links = new LinkService({
      db, links: repo, campaigns: new CampaignRepository(db), identities: new Identities('bench-links-secret-0123456789'),
      cache: new LinkCache({ redis, prefix, repo, size: 100_000, logger }), baseUrl: () => 'https://t.acme.example', logger,
    });
    const send = (campaign: number, n: number) => links.createPersonalisedLinks('acc_bench', {
      campaignId: `cmp_bench_${campaign}`, kind: 'card', cardTemplateId: 'ctpl_coupon', targetUrl: 'https://acme.example/coupon', recipients: recipients(campaign, n),
    });
    await send(0, 1_000);
    const times: number[] = [];
    for (let c = 1; c <= RUNS; c++) {
      const input = recipients(c, RECIPIENTS);
      const started = performance.now();
      const out = await links.createPersonalisedLinks('acc_bench', { campaignId: `cmp_bench_${c}`, kind: 'card', cardTemplateId: 'ctpl_coupon', targetUrl: 'https://acme.example/coupon', recipients: input });
      times.push(performance.now() - started);
      if (out.length !== RECIPIENTS || new Set(out.map((o) => o.code)).size !== RECIPIENTS) throw new Error('not one distinct link per recipient');
    }
    const [{ n }] = await db.query<{ n: number }>('select count(*) as n from links');
    const cached = await redis.exists(`${prefix}:link:${(await db.query<{ code: string }>('select code from links order by random() limit 1'))[0].code}`);
    if (Number(n) !== 1_000 + RUNS * RECIPIENTS || cached !== 1) throw new Error(`expected ${1_000 + RUNS * RECIPIENTS} links, all cached; found ${n}, cached ${cached}`);
    times.sort((a, b) => a - b);
    console.log(`  runs: ${times.map((t) => Math.round(t)).join(', ')} ms`);
    results.add({ name: 'link_gen_100k_ms', value: times[Math.floor(times.length / 2)], unit: 'ms', target: '<= 3000 ms', note: `${RECIPIENTS} personalised card links (code, number HMAC, variables) in one transaction + Redis cache; median of ${RUNS}` });
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await db.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}
