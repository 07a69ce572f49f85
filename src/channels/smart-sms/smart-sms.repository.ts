/**
 * Smart-SMS records: provider template registrations, link batches with the provider's aggregate
 * counts, the per-campaign parse stats the click report reads (campaign_parse_stats), and the
 * parse-fee bookkeeping (billed_parsed). Every query names the account except the poller's claim,
 * which works across accounts and returns each row's account.
 */
import { dateOrNull, type Db, type Queryable } from '../../db/db-client.js';
import type { LinkType, ParseCounts, ProviderTemplateStatus } from './smart-sms-api.js';

/** A card template's registration with the parse platform. */
export interface SmartSmsTemplate {
  accountId: string;
  providerTemplateId: string;
  cardTemplateId: string;
  domain: string;
  customUrl: string;
  status: ProviderTemplateStatus;
  reason: string | null;
  createdAt: Date;
  reviewedAt: Date | null;
}

/** Parse counts of one campaign from one provider template (summed over its batches). */
export interface CampaignParseStats extends ParseCounts {
  accountId: string;
  campaignId: string;
  providerTemplateId: string;
  reportedAt: Date;
}

/** A batch the poller should read the report of. */
export interface DueBatch {
  providerBatchId: string;
  accountId: string;
  campaignId: string;
  providerTemplateId: string;
}

/** Parses reported but not yet charged, per campaign and provider template. */
export interface ParseFeeDue {
  accountId: string;
  campaignId: string;
  providerTemplateId: string;
  /** New parses to charge now. */
  parses: number;
}

type Row = Record<string, unknown>;

const toTemplate = (r: Row): SmartSmsTemplate => ({
  accountId: r.account_id as string,
  providerTemplateId: r.provider_template_id as string,
  cardTemplateId: r.card_template_id as string,
  domain: r.domain as string,
  customUrl: r.custom_url as string,
  status: r.status as ProviderTemplateStatus,
  reason: (r.reason as string) ?? null,
  createdAt: new Date(r.created_at as string),
  reviewedAt: dateOrNull(r.reviewed_at),
});

export class SmartSmsRepository {
  constructor(private readonly db: Db) {}

  async insertTemplate(t: Omit<SmartSmsTemplate, 'createdAt'> & { createdAt?: Date }): Promise<SmartSmsTemplate> {
    const [row] = await this.db.query(
      `insert into smart_sms_templates (account_id, provider_template_id, card_template_id, domain, custom_url, status, reason, reviewed_at, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()))
       on conflict (account_id, provider_template_id) do update set status = excluded.status, reason = excluded.reason, reviewed_at = excluded.reviewed_at, updated_at = now()
       returning *`,
      [t.accountId, t.providerTemplateId, t.cardTemplateId, t.domain, t.customUrl, t.status, t.reason, t.reviewedAt, t.createdAt ?? null],
    );
    return toTemplate(row);
  }

  async template(accountId: string, providerTemplateId: string): Promise<SmartSmsTemplate | undefined> {
    const [row] = await this.db.query('select * from smart_sms_templates where account_id = $1 and provider_template_id = $2', [accountId, providerTemplateId]);
    return row ? toTemplate(row) : undefined;
  }

  /** The latest registration of a card template. */
  async latestForCard(accountId: string, cardTemplateId: string): Promise<SmartSmsTemplate | undefined> {
    const [row] = await this.db.query(
      'select * from smart_sms_templates where account_id = $1 and card_template_id = $2 order by created_at desc, provider_template_id desc limit 1',
      [accountId, cardTemplateId]);
    return row ? toTemplate(row) : undefined;
  }

  async setTemplateStatus(accountId: string, providerTemplateId: string, status: ProviderTemplateStatus, reason: string | null, reviewedAt: Date | null): Promise<SmartSmsTemplate | undefined> {
    const [row] = await this.db.query(
      `update smart_sms_templates set status = $3, reason = $4, reviewed_at = $5, updated_at = now()
        where account_id = $1 and provider_template_id = $2 returning *`,
      [accountId, providerTemplateId, status, reason, reviewedAt]);
    return row ? toTemplate(row) : undefined;
  }

  /** Templates still in review, oldest first (any account: the poller refreshes them). */
  async pendingTemplates(limit: number): Promise<SmartSmsTemplate[]> {
    const rows = await this.db.query(`select * from smart_sms_templates where status = 'pending' order by created_at limit $1`, [limit]);
    return rows.map(toTemplate);
  }

  /** Records link batches; a batch already recorded (a retried request) is left as it is. */
  async insertBatches(accountId: string, campaignId: string, providerTemplateId: string, kind: LinkType, batches: ReadonlyArray<{ batchId: string; outId: string; count: number }>): Promise<void> {
    if (!batches.length) return;
    await this.db.query(
      `insert into smart_sms_batches (provider_batch_id, account_id, campaign_id, provider_template_id, out_id, kind, numbers)
       select b.id, $1, $2, $3, b.out_id, $4, b.n from unnest($5::text[], $6::text[], $7::int[]) as b(id, out_id, n)
       on conflict do nothing`,
      [accountId, campaignId, providerTemplateId, kind, batches.map((b) => b.batchId), batches.map((b) => b.outId), batches.map((b) => b.count)]);
  }

  /**
   * Claims up to `limit` batches created within `windowMs` whose report was not read in the last
   * `minGapMs`, stamping them as polled now: several pollers (processes) never read the same batch
   * at once, and a batch is read again only after the gap.
   */
  async claimDueBatches(now: Date, windowMs: number, minGapMs: number, limit: number): Promise<DueBatch[]> {
    const rows = await this.db.query<{ provider_batch_id: string; account_id: string; campaign_id: string; provider_template_id: string }>(
      `update smart_sms_batches set polled_at = $1
        where provider_batch_id in (
          select provider_batch_id from smart_sms_batches
           where created_at > $1::timestamptz - make_interval(secs => $2::double precision / 1000)
             and (polled_at is null or polled_at <= $1::timestamptz - make_interval(secs => $3::double precision / 1000))
           order by polled_at nulls first, created_at
           limit $4
           for update skip locked)
        returning provider_batch_id, account_id, campaign_id, provider_template_id`,
      [now, windowMs, minGapMs, limit]);
    return rows.map((r) => ({ providerBatchId: r.provider_batch_id, accountId: r.account_id, campaignId: r.campaign_id, providerTemplateId: r.provider_template_id }));
  }

  /**
   * Stores the provider's running totals of each batch, then recomputes the campaign rows of the
   * batches touched from all their batches' counts. A report older than the stored one is ignored.
   */
  async applyReports(reports: ReadonlyArray<{ providerBatchId: string } & ParseCounts>, reportedAt: Date): Promise<CampaignParseStats[]> {
    if (!reports.length) return [];
    return this.db.transaction(async (tx) => {
      const touched = await tx.query<{ account_id: string; campaign_id: string; provider_template_id: string }>(
        `update smart_sms_batches b set sent = r.sent, parsed = r.parsed, failed = r.failed, reported_at = $5
           from unnest($1::text[], $2::int[], $3::int[], $4::int[]) as r(id, sent, parsed, failed)
          where b.provider_batch_id = r.id and (b.reported_at is null or b.reported_at <= $5)
          returning b.account_id, b.campaign_id, b.provider_template_id`,
        [reports.map((r) => r.providerBatchId), reports.map((r) => r.sent), reports.map((r) => r.parsed), reports.map((r) => r.failed), reportedAt]);
      const keys = [...new Map(touched.map((t) => [`${t.account_id}\u0000${t.campaign_id}\u0000${t.provider_template_id}`, t])).values()];
      if (!keys.length) return [];
      const rows = await tx.query(
        `insert into campaign_parse_stats (account_id, campaign_id, source, requested, parsed, failed, reported_at)
         select b.account_id, b.campaign_id, b.provider_template_id, sum(b.sent)::int, sum(b.parsed)::int, sum(b.failed)::int, max(b.reported_at)
           from smart_sms_batches b
           join unnest($1::text[], $2::text[], $3::text[]) as k(account_id, campaign_id, template_id)
             on b.account_id = k.account_id and b.campaign_id = k.campaign_id and b.provider_template_id = k.template_id
          where b.reported_at is not null
          group by b.account_id, b.campaign_id, b.provider_template_id
         on conflict (account_id, campaign_id, source) do update
           set requested = excluded.requested, parsed = excluded.parsed, failed = excluded.failed, reported_at = excluded.reported_at
         returning account_id, campaign_id, source, requested, parsed, failed, reported_at`,
        [keys.map((k) => k.account_id), keys.map((k) => k.campaign_id), keys.map((k) => k.provider_template_id)]);
      return rows.map(toStats);
    });
  }

  /** A campaign's parse counts, one entry per provider template it used. */
  async campaignStats(accountId: string, campaignId: string): Promise<CampaignParseStats[]> {
    const rows = await this.db.query(
      `select s.account_id, s.campaign_id, s.source, s.requested, s.parsed, s.failed, s.reported_at
         from campaign_parse_stats s
        where s.account_id = $1 and s.campaign_id = $2
          and exists (select 1 from smart_sms_templates t where t.account_id = s.account_id and t.provider_template_id = s.source)
        order by s.source`,
      [accountId, campaignId]);
    return rows.map(toStats);
  }

  /**
   * In one transaction: the parses reported since the last charge, per campaign and template,
   * handed to `debit` (with the transaction, so the ledger entry commits with the mark), then
   * marked as charged. If `debit` throws, nothing is marked.
   */
  async settleParseFees(debit: (tx: Queryable, due: ParseFeeDue) => Promise<void>, limit: number): Promise<ParseFeeDue[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ provider_batch_id: string; account_id: string; campaign_id: string; provider_template_id: string; parsed: number; billed_parsed: number }>(
        `select provider_batch_id, account_id, campaign_id, provider_template_id, parsed, billed_parsed
           from smart_sms_batches where parsed > billed_parsed
          order by account_id, created_at limit $1 for update skip locked`,
        [limit]);
      const dues = new Map<string, ParseFeeDue>();
      for (const r of rows) {
        const key = `${r.account_id}\u0000${r.campaign_id}\u0000${r.provider_template_id}`;
        const due = dues.get(key) ?? { accountId: r.account_id, campaignId: r.campaign_id, providerTemplateId: r.provider_template_id, parses: 0 };
        due.parses += Number(r.parsed) - Number(r.billed_parsed);
        dues.set(key, due);
      }
      for (const due of dues.values()) await debit(tx, due);
      if (rows.length) {
        await tx.query(
          `update smart_sms_batches b set billed_parsed = r.parsed
             from unnest($1::text[], $2::int[]) as r(id, parsed) where b.provider_batch_id = r.id`,
          [rows.map((r) => r.provider_batch_id), rows.map((r) => Number(r.parsed))]);
      }
      return [...dues.values()];
    });
  }
}

function toStats(r: Row): CampaignParseStats {
  return {
    accountId: r.account_id as string,
    campaignId: r.campaign_id as string,
    providerTemplateId: r.source as string,
    sent: Number(r.requested),
    parsed: Number(r.parsed),
    failed: Number(r.failed),
    reportedAt: new Date(r.reported_at as string),
  };
}
