/**
 * Personalised links of a send (LinkService.createPersonalisedLinks) on both engines and the real
 * Redis: one distinct code per recipient with the recipient's hash and variables, every link in
 * the Redis cache; a code that collides with an existing link gets a new one without touching the
 * existing link or its cache entry; a failed send leaves neither links nor cache entries behind.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../../src/db/db-client.js';
import { CampaignRepository } from '../../../src/links/campaign.repository.js';
import { Identities } from '../../../src/links/identity.js';
import { LinkCache } from '../../../src/links/link-cache.js';
import { LinkRepository, type LinkCommon, type LinkRow } from '../../../src/links/link.repository.js';
import { LinkService } from '../../../src/links/link.service.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { engines, openTestDb } from '../../support/databases.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'links-test-secret-0123456789';

describe.each(engines)('personalised link generation on %s', (engine) => {
  let db: Db;
  let redis: Redis;
  const prefix = `tlnk${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await openTestDb(engine);
    redis = new Redis(REDIS_URL);
    await db.query(`insert into accounts (id, name, callback_secret) values ('acc_a', 'a', 'x')`);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await db?.close();
  });

  const service = (opts: { newCode?: () => string; links?: LinkRepository } = {}) => {
    const links = opts.links ?? new LinkRepository(db);
    return new LinkService({
      db, links, campaigns: new CampaignRepository(db), identities: new Identities(SECRET), logger: silentLogger,
      cache: new LinkCache({ redis, prefix, repo: links, size: 1000, logger: silentLogger }), baseUrl: () => 'https://t.acme.example', newCode: opts.newCode,
    });
  };
  const cached = async (code: string) => {
    const v = await redis.get(`${prefix}:link:${code}`);
    return v && JSON.parse(v);
  };
  const number = (i: number) => `+86139${String(i).padStart(8, '0')}`;

  it('when 2,000 recipients are given, then each gets its own code, hash and variables, in order, in the database and in Redis', async () => {
    const recipients = Array.from({ length: 2_000 }, (_, i) => ({ to: number(i), variables: { name: `会员${i}`, n: i } }));

    const out = await service().createPersonalisedLinks('acc_a', { campaignId: 'cmp_1', kind: 'card', cardTemplateId: 'ctpl_coupon', targetUrl: 'https://acme.example/c', recipients });

    expect(out).toHaveLength(2_000);
    expect(new Set(out.map((o) => o.code)).size).toBe(2_000);
    expect(out[7].url).toBe(`https://t.acme.example/s/${out[7].code}`);
    const ids = new Identities(SECRET);
    const rows = await db.query<{ code: string; recipient: string; variables: { n: number }; campaign_id: string; card_template_id: string }>(
      `select code, encode(recipient_hash, 'hex') as recipient, variables, campaign_id, card_template_id from links where campaign_id = 'cmp_1'`);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(rows).toHaveLength(2_000);
    for (const i of [0, 999, 1_999]) {
      expect(byCode.get(out[i].code)).toMatchObject({ recipient: ids.recipient(number(i)), variables: { n: i }, card_template_id: 'ctpl_coupon' });
      expect(await cached(out[i].code)).toEqual({
        code: out[i].code, accountId: 'acc_a', kind: 'card', targetUrl: 'https://acme.example/c', campaignId: 'cmp_1',
        card: { templateId: 'ctpl_coupon', variables: { name: `会员${i}`, n: i } }, expiresAt: null, recipient: ids.recipient(number(i)),
      });
    }
    expect(await new CampaignRepository(db).get('acc_a', 'cmp_1')).toMatchObject({ id: 'cmp_1', cardTemplateId: 'ctpl_coupon' });
  });

  it('when a new code collides with an existing link, then that recipient gets another code and the existing link and its cache entry stay as they were', async () => {
    const first = await service({ newCode: (() => { const s = ['taken222', 'other333']; let i = 0; return () => s[i++]; })() })
      .createPersonalisedLinks('acc_a', { campaignId: 'cmp_old', kind: 'redirect', targetUrl: 'https://acme.example/old', recipients: [{ to: number(1) }, { to: number(2) }] });
    expect(first.map((l) => l.code)).toEqual(['taken222', 'other333']);
    const seq = ['taken222', 'fresh444', 'fresh555', 'fresh666'];
    let i = 0;

    const second = await service({ newCode: () => seq[i++] })
      .createPersonalisedLinks('acc_a', { campaignId: 'cmp_new', kind: 'redirect', targetUrl: 'https://acme.example/new', recipients: [{ to: number(3) }, { to: number(4) }] });

    expect(second.map((l) => l.code)).toEqual(['fresh555', 'fresh444']);
    const targets = await db.query<{ code: string; target_url: string }>(`select code, target_url from links where code in ('taken222', 'fresh444', 'fresh555') order by code`);
    expect(targets).toEqual([
      { code: 'fresh444', target_url: 'https://acme.example/new' }, { code: 'fresh555', target_url: 'https://acme.example/new' }, { code: 'taken222', target_url: 'https://acme.example/old' },
    ]);
    expect((await cached('taken222')).targetUrl).toBe('https://acme.example/old');
    expect((await cached('fresh555')).recipient).toBe(new Identities(SECRET).recipient(number(3)));
  });

  it('when the send fails after links were cached, then the transaction leaves no links and the cache entries are removed', async () => {
    class FailingRepo extends LinkRepository {
      override async insert(common: LinkCommon, rows: readonly LinkRow[], tx?: Queryable, onChunk?: (codes: string[]) => void): Promise<Set<string>> {
        await super.insert(common, rows, tx, onChunk);
        throw new Error('database went away');
      }
    }
    const codes = ['gone2222', 'gone3333', 'gone4444'];
    let i = 0;

    await expect(service({ newCode: () => codes[i++], links: new FailingRepo(db) })
      .createPersonalisedLinks('acc_a', { campaignId: 'cmp_fail', kind: 'redirect', targetUrl: 'https://acme.example/x', recipients: [{ to: number(5) }, { to: number(6) }, { to: number(7) }] }))
      .rejects.toThrow('database went away');

    expect(await db.query(`select code from links where campaign_id = 'cmp_fail'`)).toEqual([]);
    for (const c of codes) expect(await redis.exists(`${prefix}:link:${c}`)).toBe(0);
  });

  it('when a recipient number is malformed, then nothing is stored and 400 INVALID_NUMBER names it', async () => {
    await expect(service().createPersonalisedLinks('acc_a', { campaignId: 'cmp_bad', kind: 'redirect', targetUrl: 'https://acme.example/', recipients: [{ to: number(1) }, { to: '138-0013' }] }))
      .rejects.toMatchObject({ status: 400, code: 'INVALID_NUMBER', field: 'recipients.1.to' });
    expect(await db.query(`select code from links where campaign_id = 'cmp_bad'`)).toEqual([]);
  });
});
