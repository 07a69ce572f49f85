/**
 * SQL for card templates. Account-facing methods take the account id and put it in every WHERE
 * (tenant isolation); operator methods address a template by id alone. Status changes are
 * conditional updates (`where status = any(from)`), so two concurrent moves cannot both win, and
 * each appends its history entry in the same statement.
 */
import { appendHistoryEvent } from '../db/review-history.js';
import { isoOrNull, type Db } from '../db/db-client.js';
import { newId } from '../ids.js';
import type { CardType } from './card-model.js';

export const CARD_TEMPLATE_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type CardTemplateStatus = (typeof CARD_TEMPLATE_STATUSES)[number];

/** One entry of a template's log. */
export interface CardTemplateEvent {
  at: string;
  /** `account:<id>` or `operator[:<name>]`. */
  by: string;
  action: 'created' | 'edited' | 'submitted' | 'approved' | 'rejected';
  from: CardTemplateStatus | null;
  to: CardTemplateStatus;
  reason: string | null;
}

/** A card template as the API and the console show it. */
export interface CardTemplate {
  id: string;
  accountId: string;
  name: string;
  type: CardType;
  version: number;
  /** The card document with its {{variables}} (valid in template mode). */
  card: Record<string, unknown>;
  /** Variable names the card uses, in first-use order. */
  variables: string[];
  /** Example values: previews and reviewers read the card with these. */
  sampleVariables: Record<string, string>;
  status: CardTemplateStatus;
  rejectionReason: string | null;
  history: CardTemplateEvent[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
}

/** What an account writes: the whole editable part of a template. */
export interface CardTemplateContent {
  name: string;
  type: CardType;
  version: number;
  card: Record<string, unknown>;
  variables: string[];
  sampleVariables: Record<string, string>;
}

/** A status move: done, or why not (absent in that scope, or in another status). */
export type CardTemplateMove =
  | { kind: 'ok'; template: CardTemplate }
  | { kind: 'not_found' }
  | { kind: 'conflict'; status: CardTemplateStatus };

export interface CardTemplateFilter {
  status?: CardTemplateStatus;
  type?: CardType;
  limit: number;
}


function toView(r: Record<string, unknown>): CardTemplate {
  return {
    id: r.id as string,
    accountId: r.account_id as string,
    name: r.name as string,
    type: r.card_type as CardType,
    version: r.schema_version as number,
    card: r.card as Record<string, unknown>,
    variables: r.variables as string[],
    sampleVariables: r.sample_variables as Record<string, string>,
    status: r.status as CardTemplateStatus,
    rejectionReason: (r.rejection_reason as string) ?? null,
    history: r.history as CardTemplateEvent[],
    createdAt: isoOrNull(r.created_at)!,
    updatedAt: isoOrNull(r.updated_at)!,
    submittedAt: isoOrNull(r.submitted_at),
    decidedAt: isoOrNull(r.decided_at),
  };
}

export class CardTemplateRepository {
  constructor(private readonly db: Db) {}

  async create(accountId: string, content: CardTemplateContent, by: string): Promise<CardTemplate> {
    const at = new Date().toISOString();
    const event: CardTemplateEvent = { at, by, action: 'created', from: null, to: 'draft', reason: null };
    const [row] = await this.db.query(
      `insert into card_templates (id, account_id, name, card_type, schema_version, card, variables, sample_variables, history, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9::jsonb, $10, $10) returning *`,
      [newId('ctp'), accountId, content.name, content.type, content.version, JSON.stringify(content.card), content.variables,
        JSON.stringify(content.sampleVariables), JSON.stringify([event]), at],
    );
    return toView(row);
  }

  async get(accountId: string, id: string): Promise<CardTemplate | undefined> {
    const [row] = await this.db.query('select * from card_templates where account_id = $1 and id = $2', [accountId, id]);
    return row ? toView(row) : undefined;
  }

  /** The account's templates, newest first. */
  async list(accountId: string, f: CardTemplateFilter): Promise<CardTemplate[]> {
    const rows = await this.db.query(
      `select * from card_templates where account_id = $1
         and ($2::text is null or status = $2) and ($3::text is null or card_type = $3) order by id desc limit $4`,
      [accountId, f.status ?? null, f.type ?? null, f.limit],
    );
    return rows.map(toView);
  }

  /** Replaces the editable part while the template is in one of `from`. */
  async replace(accountId: string, id: string, content: CardTemplateContent, from: readonly CardTemplateStatus[], by: string): Promise<CardTemplateMove> {
    const at = new Date().toISOString();
    const params = [accountId, id, [...from], content.name, content.type, content.version, JSON.stringify(content.card), content.variables,
      JSON.stringify(content.sampleVariables), at, by];
    // An edit does not move the template: its entry goes from and to the current status.
    return this.move(
      `name = $4, card_type = $5, schema_version = $6, card = $7::jsonb, variables = $8, sample_variables = $9::jsonb,
       updated_at = $10::timestamptz, ${appendHistoryEvent('$10', '$11', `'edited'`, 'status', 'null')}`,
      'account_id = $1 and id = $2 and status = any($3::text[])', params, () => this.get(accountId, id),
    );
  }

  async submit(accountId: string, id: string, from: readonly CardTemplateStatus[], by: string): Promise<CardTemplateMove> {
    const at = new Date().toISOString();
    return this.move(
      `status = 'submitted', rejection_reason = null, submitted_at = $4::timestamptz, decided_at = null, updated_at = $4::timestamptz,
       ${appendHistoryEvent('$4', '$5', `'submitted'`, `'submitted'`, 'null')}`,
      'account_id = $1 and id = $2 and status = any($3::text[])', [accountId, id, [...from], at, by], () => this.get(accountId, id),
    );
  }

  /** Operator: approves or rejects a template that is in one of `from`. */
  async decide(id: string, to: 'approved' | 'rejected', reason: string | null, from: readonly CardTemplateStatus[], by: string): Promise<CardTemplateMove> {
    const at = new Date().toISOString();
    return this.move(
      `status = $6, rejection_reason = $3, decided_at = $4::timestamptz, updated_at = $4::timestamptz, ${appendHistoryEvent('$4', '$5', '$6', '$6', '$3')}`,
      'id = $1 and status = any($2::text[])', [id, [...from], reason, at, by, to], () => this.findById(id),
    );
  }

  /** Operator: one template, whichever account it belongs to. */
  async findById(id: string): Promise<CardTemplate | undefined> {
    const [row] = await this.db.query('select * from card_templates where id = $1', [id]);
    return row ? toView(row) : undefined;
  }

  /** Operator: the review queue (oldest submission first), or any status. */
  async review(f: CardTemplateFilter & { accountId?: string }): Promise<CardTemplate[]> {
    const rows = await this.db.query(
      `select * from card_templates
        where ($1::text is null or status = $1) and ($2::text is null or account_id = $2) and ($3::text is null or card_type = $3)
        order by submitted_at nulls last, id limit $4`,
      [f.status ?? null, f.accountId ?? null, f.type ?? null, f.limit],
    );
    return rows.map(toView);
  }

  private async move(sets: string, where: string, params: unknown[], current: () => Promise<CardTemplate | undefined>): Promise<CardTemplateMove> {
    const rows = await this.db.query(`update card_templates set ${sets} where ${where} returning *`, params);
    if (rows[0]) return { kind: 'ok', template: toView(rows[0]) };
    const now = await current();
    return now ? { kind: 'conflict', status: now.status } : { kind: 'not_found' };
  }
}
