/**
 * SQL of campaigns, their delivered counts and their smart-SMS parse statistics. Always scoped to
 * one account.
 *
 * Delivered counts: a campaign's delivered messages are the messages its links were attached to
 * (links.message_id, filled by the sender) whose status is `delivered`, or, for sends down a
 * channel chain, whose succeeding step's channel reported delivered or read. Counting joins every link
 * of the campaign to its message, so the count is cached on the campaign row (delivered_count)
 * and taken again when older than the caller's max age, until it has settled: receipts may take
 * 72 h (DOMAIN.md §5), so a count taken more than SETTLED_AFTER after the last attach is final.
 */
import type { Db, Queryable } from '../db/db-client.js';
import { deliveredMessageSql } from './delivered-sql.js';
import type { Campaign, ParseStats } from './link.js';

const SETTLED_AFTER = '4 days';

interface DbCampaign extends Record<string, unknown> {
  id: string;
  name: string | null;
  card_template_id: string | null;
  created_at: Date;
}

const toCampaign = (r: DbCampaign): Campaign => ({ id: r.id, name: r.name, cardTemplateId: r.card_template_id, createdAt: new Date(r.created_at).toISOString() });

export interface CampaignParseTotals {
  requested: number;
  parsed: number;
}

export class CampaignRepository {
  constructor(private readonly db: Db) {}

  /**
   * Creates the campaign, or updates the given fields of an existing one (a null or absent field
   * leaves the stored value).
   */
  async upsert(accountId: string, c: { id: string; name?: string | null; cardTemplateId?: string | null }, tx: Queryable = this.db): Promise<Campaign> {
    const [r] = await tx.query<DbCampaign>(
      `insert into campaigns (account_id, id, name, card_template_id) values ($1, $2, $3, $4)
       on conflict (account_id, id) do update set
         name = coalesce(excluded.name, campaigns.name),
         card_template_id = coalesce(excluded.card_template_id, campaigns.card_template_id)
       returning id, name, card_template_id, created_at`,
      [accountId, c.id, c.name ?? null, c.cardTemplateId ?? null],
    );
    return toCampaign(r);
  }

  async get(accountId: string, id: string): Promise<Campaign | undefined> {
    const [r] = await this.db.query<DbCampaign>('select id, name, card_template_id, created_at from campaigns where account_id = $1 and id = $2', [accountId, id]);
    return r && toCampaign(r);
  }

  /**
   * The account's campaigns, newest first; `afterId` continues a listing after that campaign
   * (ordered by created_at, then id, so campaigns created in the same instant are neither skipped
   * nor repeated; the cursor's time is read in SQL, at full precision).
   */
  async list(accountId: string, opts: { limit: number; afterId?: string }): Promise<Campaign[]> {
    const rows = await this.db.query<DbCampaign>(
      `select id, name, card_template_id, created_at from campaigns c
        where account_id = $1
          and ($2::text is null or (created_at, id collate "C") < (
                select created_at, id collate "C" from campaigns where account_id = $1 and id = $2))
        order by created_at desc, id collate "C" desc limit $3`,
      [accountId, opts.afterId ?? null, opts.limit],
    );
    return rows.map(toCampaign);
  }

  /** Ids of the account's campaigns, optionally only those of one card template. */
  async ids(accountId: string, cardTemplateId?: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `select id from campaigns where account_id = $1 and ($2::text is null or card_template_id = $2) order by id collate "C"`,
      [accountId, cardTemplateId ?? null],
    );
    return rows.map((r) => r.id);
  }

  async markMessagesAttached(accountId: string, campaignIds: readonly string[], tx: Queryable = this.db): Promise<void> {
    if (!campaignIds.length) return;
    await tx.query('update campaigns set messages_attached_at = now() where account_id = $1 and id = any($2::text[])', [accountId, campaignIds]);
  }

  /**
   * Delivered messages per campaign (campaigns whose links never got a message are absent).
   * Counts older than maxAgeMs are taken again first, unless settled.
   */
  async deliveredCounts(accountId: string, campaignIds: readonly string[], maxAgeMs: number): Promise<Map<string, number>> {
    if (!campaignIds.length) return new Map();
    const stale = await this.db.query<{ id: string }>(
      `select id from campaigns
        where account_id = $1 and id = any($2::text[]) and messages_attached_at is not null
          and (delivered_counted_at is null
               or (delivered_counted_at < now() - $3 * interval '1 millisecond'
                   and delivered_counted_at < messages_attached_at + interval '${SETTLED_AFTER}'))`,
      [accountId, campaignIds, maxAgeMs],
    );
    if (stale.length) {
      await this.db.query(
        `with counted as (
           select c.id, (select count(*) from links l
                          where l.account_id = $1 and l.campaign_id = c.id and l.message_id is not null
                            and ${deliveredMessageSql('l.message_id', '$1')}) as n
             from campaigns c where c.account_id = $1 and c.id = any($2::text[]))
         update campaigns c set delivered_count = counted.n, delivered_counted_at = now()
           from counted where c.account_id = $1 and c.id = counted.id`,
        [accountId, stale.map((s) => s.id)],
      );
    }
    const rows = await this.db.query<{ id: string; delivered_count: number }>(
      'select id, delivered_count from campaigns where account_id = $1 and id = any($2::text[]) and delivered_count is not null',
      [accountId, campaignIds],
    );
    return new Map(rows.map((r) => [r.id, Number(r.delivered_count)]));
  }

  /** Replaces the counts of one report source of a campaign (providers report running totals). */
  async recordParseStats(accountId: string, campaignId: string, s: ParseStats): Promise<void> {
    await this.db.query(
      `insert into campaign_parse_stats (account_id, campaign_id, source, requested, parsed, reported_at) values ($1, $2, $3, $4, $5, $6)
       on conflict (account_id, campaign_id, source) do update set requested = excluded.requested, parsed = excluded.parsed, reported_at = excluded.reported_at
       where campaign_parse_stats.reported_at <= excluded.reported_at`,
      [accountId, campaignId, s.source ?? '', s.requested, s.parsed, s.reportedAt],
    );
  }

  /** Parse counts per campaign, summed over sources (campaigns without a report are absent). */
  async parseTotals(accountId: string, campaignIds: readonly string[]): Promise<Map<string, CampaignParseTotals>> {
    if (!campaignIds.length) return new Map();
    const rows = await this.db.query<{ campaign_id: string; requested: number; parsed: number }>(
      `select campaign_id, sum(requested)::bigint as requested, sum(parsed)::bigint as parsed
         from campaign_parse_stats where account_id = $1 and campaign_id = any($2::text[]) group by campaign_id`,
      [accountId, campaignIds],
    );
    return new Map(rows.map((r) => [r.campaign_id, { requested: Number(r.requested), parsed: Number(r.parsed) }]));
  }
}
