/**
 * Clicks through the real recorder, Redis stream and aggregator into PostgreSQL (both engines):
 * the stored clicks and rollups equal a hand count, a worker that dies before acknowledging (after
 * or before storing) loses nothing and counts nothing twice, and an entry the database refuses is
 * set aside without blocking the others.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/db-client.js';
import { ClickAggregator } from '../../../src/links/click-aggregator.worker.js';
import { ClickRecorder } from '../../../src/links/click-recorder.js';
import { ClickReportRepository } from '../../../src/links/click-report.repository.js';
import { rollupAnswers, type ClickDimension } from '../../../src/links/click-report.js';
import { ClickReports } from '../../../src/links/click-reports.js';
import { ClickRepository } from '../../../src/links/click.repository.js';
import { CampaignRepository } from '../../../src/links/campaign.repository.js';
import { LinkRepository } from '../../../src/links/link.repository.js';
import type { ClickEvent } from '../../../src/links/click-event.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { engines, openTestDb } from '../../support/databases.js';
import { generateClicks, handCount, seedLinks } from '../../support/click-seed.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const START = new Date('2030-05-01T00:00:00Z');

describe.each(engines)('click aggregation on %s', (engine) => {
  let db: Db;
  let redis: Redis;
  const prefix = `tclk${randomBytes(4).toString('hex')}`;
  let n = 0;
  const streamKey = () => `${prefix}:clicks:${++n}`;

  beforeAll(async () => {
    db = await openTestDb(engine);
    redis = new Redis(REDIS_URL);
    for (const id of ['acc_a', 'acc_b', 'acc_c', 'acc_d']) await db.query(`insert into accounts (id, name, callback_secret) values ($1, $1, 'x')`, [id]);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.close();
  });

  const record = async (key: string, events: ClickEvent[]) => {
    const recorder = new ClickRecorder({ redis, streamKey: key, logger: silentLogger });
    // Several XADDs of different sizes: the recorder batches per turn of the event loop.
    for (let i = 0; i < events.length; i++) {
      recorder.record(events[i]);
      if (i % 700 === 699) await recorder.flush();
    }
    await recorder.stop();
  };
  const aggregator = (key: string, consumer: string, repo: Pick<ClickRepository, 'insertEntries'> = new ClickRepository(db), claimIdleMs = 60_000) =>
    new ClickAggregator({ redis, streamKey: key, consumer, repo, logger: silentLogger, claimIdleMs, batchEntries: 2 });
  const drain = async (agg: ClickAggregator) => {
    while ((await agg.processOnce()) > 0);
  };
  const countClicks = async (accountId: string) => Number((await db.query<{ n: number }>('select count(*) as n from clicks where account_id = $1', [accountId]))[0].n);
  const reports = () => new ClickReports({ repo: new ClickReportRepository(db), campaigns: new CampaignRepository(db), links: new LinkRepository(db), deliveredCacheMs: 0 });

  it('when clicks are recorded and aggregated, then every report equals the hand count, from the rollups and from the raw clicks', async () => {
    const key = streamKey();
    const events = generateClicks({ seed: 7, links: [...seedLinks(7, 'acc_a', 60), ...seedLinks(8, 'acc_b', 10)], events: 4000, start: START, days: 6 });
    const agg = aggregator(key, 'w1');
    await agg.ensureGroup();
    await record(key, events);

    await drain(agg);

    expect(await countClicks('acc_a') + await countClicks('acc_b')).toBe(events.length);
    const from = new Date('2030-05-02T00:00:00Z');
    const until = new Date('2030-05-06T00:00:00Z');
    const cases: { groupBy: ClickDimension[]; campaignId?: string; templateId?: string; timeZone?: string; until?: Date }[] = [
      { groupBy: ['campaign', 'day'] },
      { groupBy: ['day'] },
      { groupBy: ['day'], campaignId: 'spring' },
      { groupBy: ['day'], templateId: 'ctpl_coupon' },
      { groupBy: ['campaign'], until: new Date('2030-05-03T00:00:00Z') },
      { groupBy: [], until: new Date('2030-05-03T00:00:00Z') },
      { groupBy: ['campaign'] },
      { groupBy: [] },
      { groupBy: ['hour'], campaignId: 'autumn' },
      { groupBy: ['link'], campaignId: 'spring' },
      { groupBy: ['button', 'device'] },
      { groupBy: ['os', 'browser'], templateId: 'ctpl_flight' },
      { groupBy: ['day', 'campaign'], timeZone: 'Asia/Shanghai' },
    ];
    const service = reports();
    for (const c of cases) {
      const q = { accountId: 'acc_a', from, until: c.until ?? until, groupBy: c.groupBy, timeZone: c.timeZone ?? 'UTC', campaignId: c.campaignId, templateId: c.templateId };
      const expected = handCount(events, q);
      expect(expected.length, JSON.stringify(c)).toBeGreaterThan(0);
      const sources = rollupAnswers(q) ? (['rollup', 'clicks'] as const) : (['clicks'] as const);
      for (const source of sources) {
        const report = await service.report(q, source);
        expect(report.source).toBe(source);
        expect(report.rows.map((r) => ({ ...Object.fromEntries(c.groupBy.map((d) => [d, r[d]])), pv: r.pv, uv: r.uv, bots: r.bots })), `${source} ${JSON.stringify(c)}`).toEqual(expected);
      }
    }
  });

  it('when a worker stores a batch but dies before acknowledging it, then another takes it over and nothing is counted twice', async () => {
    const key = streamKey();
    const events = generateClicks({ seed: 11, links: seedLinks(11, 'acc_c', 20), events: 1500, start: START, days: 3 });
    const real = new ClickRepository(db);
    const dying = aggregator(key, 'dies-after-storing', { insertEntries: async (ids, payloads) => { await real.insertEntries(ids, payloads); throw new Error('killed before XACK'); } });
    await dying.ensureGroup();
    await record(key, events);
    await expect(dying.processOnce()).rejects.toThrow('killed before XACK');
    const storedBeforeTakeover = await countClicks('acc_c');
    expect(storedBeforeTakeover).toBeGreaterThan(0);
    expect((await redis.xpending(key, 'click-aggregators'))[0]).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 60));
    const heir = aggregator(key, 'heir', real, 50);
    await drain(heir);

    expect(await countClicks('acc_c')).toBe(events.length);
    expect((await redis.xpending(key, 'click-aggregators'))[0]).toBe(0);
    expect(await redis.xlen(key)).toBe(0);
    const q = { accountId: 'acc_c', from: START, until: new Date('2030-05-04T00:00:00Z'), groupBy: ['day'] as ClickDimension[], timeZone: 'UTC' };
    const rollup = await reports().report(q, 'rollup');
    expect(rollup.rows.map((r) => ({ day: r.day, pv: r.pv, uv: r.uv, bots: r.bots }))).toEqual(handCount(events, q));
  });

  it('when a worker reads entries and dies before storing them, then they are claimed and stored once', async () => {
    const key = streamKey();
    const events = generateClicks({ seed: 12, links: seedLinks(12, 'acc_d', 10), events: 900, start: START, days: 2 });
    const dying = aggregator(key, 'dies-before-storing', { insertEntries: async () => { throw new Error('killed'); } });
    await dying.ensureGroup();
    await record(key, events);
    await expect(dying.processOnce()).rejects.toThrow('killed');
    expect(await countClicks('acc_d')).toBe(0);

    await new Promise((r) => setTimeout(r, 60));
    await drain(aggregator(key, 'heir', new ClickRepository(db), 50));

    expect(await countClicks('acc_d')).toBe(events.length);
  });

  it('when the same entries are stored twice, then the second time inserts and counts nothing', async () => {
    const repo = new ClickRepository(db);
    const events = generateClicks({ seed: 13, links: seedLinks(13, 'acc_d', 5), events: 50, start: new Date('2030-06-01T00:00:00Z'), days: 1 });
    const ids = ['1900000000000-0', '1900000000000-1'];
    const payloads = [JSON.stringify(events.slice(0, 25)), JSON.stringify(events.slice(25))];

    expect(await repo.insertEntries(ids, payloads)).toEqual({ inserted: 50 });
    const before = await db.query(`select scope, pv, uv, bots from click_daily where account_id = 'acc_d' and day = '2030-06-01' order by scope`);
    expect(await repo.insertEntries(ids, payloads)).toEqual({ inserted: 0 });

    expect(await db.query(`select scope, pv, uv, bots from click_daily where account_id = 'acc_d' and day = '2030-06-01' order by scope`)).toEqual(before);
  });

  it('when an entry is not valid click data, then it goes to the dead-letter stream and the others are stored', async () => {
    const key = streamKey();
    const agg = aggregator(key, 'w');
    await agg.ensureGroup();
    const events = generateClicks({ seed: 14, links: seedLinks(14, 'acc_b', 3), events: 10, start: new Date('2030-07-01T00:00:00Z'), days: 1 });
    await redis.xadd(key, '*', 'c', JSON.stringify(events.slice(0, 5)));
    await redis.xadd(key, '*', 'c', 'not json');
    await redis.xadd(key, '*', 'c', JSON.stringify(events.slice(5)));

    await drain(agg);

    expect(Number((await db.query<{ n: number }>(`select count(*) as n from clicks where account_id = 'acc_b' and clicked_at >= '2030-07-01'`))[0].n)).toBe(10);
    const dead = await redis.xrange(`${key}:dead`, '-', '+');
    expect(dead).toHaveLength(1);
    expect(dead[0][1]).toContain('not json');
    expect(await redis.xlen(key)).toBe(0);
  });
});
