/**
 * SQL for chatbots. Account-facing methods put the account id in every WHERE (tenant isolation);
 * operator methods address a chatbot by id alone. Status moves are conditional updates
 * (`status = any(from)`), each appending its history entry in the same statement
 * (src/db/review-history.ts), as for card templates.
 */
import { appendHistoryEvent } from '../../db/review-history.js';
import { isoOrNull, type Db } from '../../db/db-client.js';
import type { ChatbotMenu } from './chatbot-menu.js';

export const CHATBOT_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type ChatbotStatus = (typeof CHATBOT_STATUSES)[number];

/** Registration info (what the carrier reviews besides the menu). */
export interface ChatbotProfile {
  name: string;
  logoUrl: string;
  description: string;
  colour: string;
  callbackNumber: string;
  website: string | null;
  category: string;
}

export interface ChatbotEvent {
  at: string;
  by: string;
  action: 'created' | 'edited' | 'submitted' | 'approved' | 'rejected';
  from: ChatbotStatus | null;
  to: ChatbotStatus;
  reason: string | null;
}

export interface Chatbot extends ChatbotProfile {
  id: string;
  accountId: string;
  address: string;
  menu: ChatbotMenu;
  status: ChatbotStatus;
  rejectionReason: string | null;
  history: ChatbotEvent[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
}

export type ChatbotMove = { kind: 'ok'; chatbot: Chatbot } | { kind: 'not_found' } | { kind: 'conflict'; status: ChatbotStatus };

function toChatbot(r: Record<string, unknown>): Chatbot {
  return {
    id: r.id as string, accountId: r.account_id as string, address: r.address as string,
    name: r.name as string, logoUrl: r.logo_url as string, description: r.description as string, colour: r.colour as string,
    callbackNumber: r.callback_number as string, website: (r.website as string) ?? null, category: r.category as string,
    menu: r.menu as ChatbotMenu, status: r.status as ChatbotStatus, rejectionReason: (r.rejection_reason as string) ?? null,
    history: r.history as ChatbotEvent[], createdAt: isoOrNull(r.created_at)!, updatedAt: isoOrNull(r.updated_at)!,
    submittedAt: isoOrNull(r.submitted_at), decidedAt: isoOrNull(r.decided_at),
  };
}

const profileParams = (p: ChatbotProfile) => [p.name, p.logoUrl, p.description, p.colour, p.callbackNumber, p.website, p.category];

export class ChatbotRepository {
  constructor(private readonly db: Db) {}

  async create(c: { id: string; accountId: string; address: string; profile: ChatbotProfile; menu: ChatbotMenu; by: string }): Promise<Chatbot> {
    const at = new Date().toISOString();
    const event: ChatbotEvent = { at, by: c.by, action: 'created', from: null, to: 'draft', reason: null };
    const [row] = await this.db.query(
      `insert into rcs_chatbots (id, account_id, address, name, logo_url, description, colour, callback_number, website, category, menu, history, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $13) returning *`,
      [c.id, c.accountId, c.address, ...profileParams(c.profile), JSON.stringify(c.menu), JSON.stringify([event]), at],
    );
    return toChatbot(row);
  }

  async get(accountId: string, id: string): Promise<Chatbot | undefined> {
    const [row] = await this.db.query('select * from rcs_chatbots where account_id = $1 and id = $2', [accountId, id]);
    return row ? toChatbot(row) : undefined;
  }

  async findById(id: string): Promise<Chatbot | undefined> {
    const [row] = await this.db.query('select * from rcs_chatbots where id = $1', [id]);
    return row ? toChatbot(row) : undefined;
  }

  async findByAddress(address: string): Promise<Chatbot | undefined> {
    const [row] = await this.db.query('select * from rcs_chatbots where address = $1', [address]);
    return row ? toChatbot(row) : undefined;
  }

  async list(accountId: string, f: { status?: ChatbotStatus; limit: number }): Promise<Chatbot[]> {
    const rows = await this.db.query(
      'select * from rcs_chatbots where account_id = $1 and ($2::text is null or status = $2) order by id desc limit $3',
      [accountId, f.status ?? null, f.limit],
    );
    return rows.map(toChatbot);
  }

  /** Every approved chatbot, earliest decision first (the first approved of an account sends its fallback steps). */
  async approved(accountId?: string): Promise<Chatbot[]> {
    const rows = await this.db.query(
      `select * from rcs_chatbots where status = 'approved' and ($1::text is null or account_id = $1) order by decided_at, id`, [accountId ?? null]);
    return rows.map(toChatbot);
  }

  /** Operator: the review queue (oldest submission first), or any status. */
  async review(f: { status?: ChatbotStatus; accountId?: string; limit: number }): Promise<Chatbot[]> {
    const rows = await this.db.query(
      `select * from rcs_chatbots where ($1::text is null or status = $1) and ($2::text is null or account_id = $2)
        order by submitted_at nulls last, id limit $3`,
      [f.status ?? null, f.accountId ?? null, f.limit],
    );
    return rows.map(toChatbot);
  }

  /** Replaces profile and menu while the chatbot is in one of `from` (an edit keeps the status). */
  replace(accountId: string, id: string, profile: ChatbotProfile, menu: ChatbotMenu, from: readonly ChatbotStatus[], by: string): Promise<ChatbotMove> {
    const at = new Date().toISOString();
    return this.move(
      `name = $4, logo_url = $5, description = $6, colour = $7, callback_number = $8, website = $9, category = $10, menu = $11::jsonb,
       updated_at = $12::timestamptz, ${appendHistoryEvent('$12', '$13', `'edited'`, 'status', 'null')}`,
      'account_id = $1 and id = $2 and status = any($3::text[])',
      [accountId, id, [...from], ...profileParams(profile), JSON.stringify(menu), at, by], () => this.get(accountId, id),
    );
  }

  submit(accountId: string, id: string, from: readonly ChatbotStatus[], by: string): Promise<ChatbotMove> {
    const at = new Date().toISOString();
    return this.move(
      `status = 'submitted', rejection_reason = null, submitted_at = $4::timestamptz, decided_at = null, updated_at = $4::timestamptz,
       ${appendHistoryEvent('$4', '$5', `'submitted'`, `'submitted'`, 'null')}`,
      'account_id = $1 and id = $2 and status = any($3::text[])', [accountId, id, [...from], at, by], () => this.get(accountId, id),
    );
  }

  /** Operator: approves (optionally setting the address the carrier assigned) or rejects. */
  decide(id: string, to: 'approved' | 'rejected', reason: string | null, from: readonly ChatbotStatus[], by: string, address?: string): Promise<ChatbotMove> {
    const at = new Date().toISOString();
    return this.move(
      `status = $6, rejection_reason = $3, address = coalesce($7, address), decided_at = $4::timestamptz, updated_at = $4::timestamptz,
       ${appendHistoryEvent('$4', '$5', '$6', '$6', '$3')}`,
      'id = $1 and status = any($2::text[])', [id, [...from], reason, at, by, to, address ?? null], () => this.findById(id),
    );
  }

  /** Deletes a chatbot in one of `from` (its keyword rules go with it). */
  async delete(accountId: string, id: string, from: readonly ChatbotStatus[]): Promise<ChatbotMove> {
    const rows = await this.db.query('delete from rcs_chatbots where account_id = $1 and id = $2 and status = any($3::text[]) returning *', [accountId, id, [...from]]);
    if (rows[0]) return { kind: 'ok', chatbot: toChatbot(rows[0]) };
    const now = await this.get(accountId, id);
    return now ? { kind: 'conflict', status: now.status } : { kind: 'not_found' };
  }

  private async move(sets: string, where: string, params: unknown[], current: () => Promise<Chatbot | undefined>): Promise<ChatbotMove> {
    const rows = await this.db.query(`update rcs_chatbots set ${sets} where ${where} returning *`, params);
    if (rows[0]) return { kind: 'ok', chatbot: toChatbot(rows[0]) };
    const now = await current();
    return now ? { kind: 'conflict', status: now.status } : { kind: 'not_found' };
  }
}
