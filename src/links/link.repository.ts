/**
 * SQL of the `links` table. Codes are global (the short URL names no account), so the redirect
 * reads by code alone; everything the API reads is scoped to the calling account.
 */
import type { Db, Queryable } from '../db/db-client.js';
import type { CardReference, LinkKind, ResolvedLink } from './link.js';
import { deliveredMessageSql } from './delivered-sql.js';

/** Rows per INSERT: 100,000 links go in ten statements of one transaction. */
const CHUNK = 10_000;

/** The columns every link of one insert shares. */
export interface LinkCommon {
  accountId: string;
  kind: LinkKind;
  targetUrl: string | null;
  campaignId: string | null;
  cardTemplateId: string | null;
  /** The MMS template of 'mms' links (absent: none). */
  mmsTemplateId?: string | null;
  expiresAt: Date | null;
}

/** What differs per link: its code, recipient hash (hex), variables (JSON text) and message id. */
export interface LinkRow {
  code: string;
  recipient: string | null;
  variablesJson: string | null;
  messageId: string | null;
}

export interface StoredLink extends ResolvedLink {
  messageId: string | null;
  createdAt: Date;
}

interface DbLink extends Record<string, unknown> {
  code: string;
  account_id: string;
  kind: LinkKind;
  target_url: string | null;
  campaign_id: string | null;
  card_template_id: string | null;
  mms_template_id: string | null;
  variables: Record<string, unknown> | null;
  recipient: string | null;
  message_id: string | null;
  expires_at: Date | null;
  created_at: Date;
}

const COLUMNS = `code, account_id, kind, target_url, campaign_id, card_template_id, mms_template_id, variables,
  encode(recipient_hash, 'hex') as recipient, message_id, expires_at, created_at`;

function toLink(r: DbLink): StoredLink {
  const card: CardReference | null = r.card_template_id ? { templateId: r.card_template_id, variables: r.variables ?? {} } : null;
  return {
    code: r.code,
    accountId: r.account_id,
    kind: r.kind,
    targetUrl: r.target_url,
    campaignId: r.campaign_id,
    card,
    ...(r.mms_template_id ? { mms: { templateId: r.mms_template_id, variables: r.variables ?? {} } } : {}),
    expiresAt: r.expires_at ? new Date(r.expires_at).getTime() : null,
    recipient: r.recipient,
    messageId: r.message_id,
    createdAt: new Date(r.created_at),
  };
}

export class LinkRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the rows that do not collide with an existing code; returns the codes inserted (a
   * code missing from the answer was taken: give that row a new code and call again). onChunk
   * hears the codes of each statement as soon as it is done.
   */
  async insert(common: LinkCommon, rows: readonly LinkRow[], tx: Queryable = this.db, onChunk?: (inserted: string[]) => void): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      // The variables go as one JSON array text: as a text[] parameter their quotes would be
      // escaped character by character in JavaScript, and PostgreSQL parses them once either way.
      const result = await tx.query<{ code: string }>(
        `insert into links (code, account_id, kind, target_url, campaign_id, card_template_id, mms_template_id, variables, recipient_hash, message_id, expires_at)
         select u.c, $5, $6, $7, $8, $9, $11, nullif(x.v, 'null'::jsonb), decode(u.h, 'hex'), u.m, $10
           from unnest($1::text[], $2::text[], $3::text[]) with ordinality as u(c, h, m, k)
           join jsonb_array_elements($4::jsonb) with ordinality as x(v, k) using (k)
         on conflict (code) do nothing
         returning code`,
        [part.map((r) => r.code), part.map((r) => r.recipient), part.map((r) => r.messageId), `[${part.map((r) => r.variablesJson ?? 'null').join(',')}]`,
          common.accountId, common.kind, common.targetUrl, common.campaignId, common.cardTemplateId, common.expiresAt, common.mmsTemplateId ?? null],
      );
      for (const r of result) inserted.add(r.code);
      onChunk?.(result.map((r) => r.code));
    }
    return inserted;
  }

  /** The link behind a short code, whoever owns it (the redirect). */
  async find(code: string): Promise<StoredLink | undefined> {
    const [r] = await this.db.query<DbLink>(`select ${COLUMNS} from links where code = $1`, [code]);
    return r && toLink(r);
  }

  async get(accountId: string, code: string): Promise<StoredLink | undefined> {
    const [r] = await this.db.query<DbLink>(`select ${COLUMNS} from links where code = $1 and account_id = $2`, [code, accountId]);
    return r && toLink(r);
  }

  /** Sets the message of each link (codes of other accounts are left alone); returns how many changed. */
  async attachMessages(accountId: string, pairs: readonly { code: string; messageId: string }[], tx: Queryable = this.db): Promise<number> {
    let changed = 0;
    for (let i = 0; i < pairs.length; i += CHUNK) {
      const part = pairs.slice(i, i + CHUNK);
      const rows = await tx.query<{ n: number }>(
        `with u as (
           update links l set message_id = t.m
             from unnest($1::text[], $2::text[]) as t(c, m)
            where l.code = t.c and l.account_id = $3
           returning 1)
         select count(*)::int as n from u`,
        [part.map((p) => p.code), part.map((p) => p.messageId), accountId],
      );
      changed += rows[0]?.n ?? 0;
    }
    return changed;
  }

  /** Delivered messages among those of the given links (null for a link without a message). */
  async deliveredByLink(accountId: string, codes: readonly string[]): Promise<Map<string, number | null>> {
    const rows = await this.db.query<{ code: string; delivered: number | null }>(
      `select l.code, case when l.message_id is null then null
                           else (case when ${deliveredMessageSql('l.message_id', '$1')} then 1 else 0 end) end as delivered
         from links l where l.account_id = $1 and l.code = any($2::text[])`,
      [accountId, codes],
    );
    return new Map(rows.map((r) => [r.code, r.delivered]));
  }

  /** Clicks of one link: page opens (PV, UV), button taps and bots. */
  async clickSummary(accountId: string, code: string): Promise<{ pv: number; uv: number; buttonClicks: number; bots: number; lastClickAt: string | null }> {
    const [r] = await this.db.query<{ pv: number; uv: number; buttons: number; bots: number; last: Date | null }>(
      `select count(*) filter (where kind = 'open' and not bot)::int as pv,
              count(distinct identity) filter (where kind = 'open' and not bot)::int as uv,
              count(*) filter (where kind = 'button' and not bot)::int as buttons,
              count(*) filter (where bot)::int as bots,
              max(clicked_at) filter (where not bot) as last
         from clicks where code = $1 and account_id = $2`,
      [code, accountId],
    );
    return { pv: r?.pv ?? 0, uv: r?.uv ?? 0, buttonClicks: r?.buttons ?? 0, bots: r?.bots ?? 0, lastClickAt: r?.last ? new Date(r.last).toISOString() : null };
  }
}
