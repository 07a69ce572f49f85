/**
 * SQL for WhatsApp messages and their status (moved only forward, see whatsapp-status.ts). The
 * `fallback_*` columns of migration 004 are no longer written: an SMS failover is now a send of the
 * fallback engine (migration 015 says so on the columns, which keep the failovers made before).
 */
import { dateOrNull, type Db } from '../../db/db-client.js';
import type { WhatsAppContent, WhatsAppType } from './whatsapp-content.js';
import { STATUS_TIME_COLUMN, nextStatus, type WhatsAppStatus } from './whatsapp-status.js';

/** A stored WhatsApp message. */
export interface WhatsAppMessage {
  id: string;
  accountId: string;
  to: string;
  type: WhatsAppType;
  content: WhatsAppContent;
  reference: string | null;
  providerMessageId: string | null;
  waId: string | null;
  status: WhatsAppStatus;
  errorCode: string | null;
  providerCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
}

export interface NewWhatsAppMessage {
  id: string;
  accountId: string;
  to: string;
  content: WhatsAppContent;
  reference: string | null;
  createdAt: Date;
}

/** What a status change did to the message. */
export interface Transition {
  before: WhatsAppMessage;
  after: WhatsAppMessage;
}

export interface StatusChange {
  status: Exclude<WhatsAppStatus, 'pending'>;
  at: Date;
  providerMessageId?: string;
  waId?: string | null;
  error?: { errorCode: string; providerCode: string | null; message: string };
}

type Row = Record<string, unknown>;

function toMessage(r: Row): WhatsAppMessage {
  return {
    id: r.id as string, accountId: r.account_id as string, to: r.to_number as string, type: r.type as WhatsAppType,
    content: r.content as WhatsAppContent, reference: (r.reference as string) ?? null,
    providerMessageId: (r.provider_message_id as string) ?? null, waId: (r.wa_id as string) ?? null,
    status: r.status as WhatsAppStatus, errorCode: (r.error_code as string) ?? null, providerCode: (r.provider_code as string) ?? null,
    errorMessage: (r.error_message as string) ?? null, createdAt: new Date(r.created_at as string),
    acceptedAt: dateOrNull(r.accepted_at), sentAt: dateOrNull(r.sent_at), deliveredAt: dateOrNull(r.delivered_at), readAt: dateOrNull(r.read_at), failedAt: dateOrNull(r.failed_at),
  };
}

export class WhatsAppMessageRepository {
  constructor(private readonly db: Db) {}

  async insert(m: NewWhatsAppMessage): Promise<WhatsAppMessage> {
    const [row] = await this.db.query(
      `insert into whatsapp_messages (id, account_id, to_number, type, content, reference, status, created_at)
       values ($1, $2, $3, $4, $5::jsonb, $6, 'pending', $7)
       returning *`,
      [m.id, m.accountId, m.to, m.content.type, JSON.stringify(m.content), m.reference, m.createdAt],
    );
    return toMessage(row);
  }

  async get(accountId: string, id: string): Promise<WhatsAppMessage | undefined> {
    const [row] = await this.db.query('select * from whatsapp_messages where account_id = $1 and id = $2', [accountId, id]);
    return row ? toMessage(row) : undefined;
  }

  /** The account's message with this reference (a fallback step's, which is unique). */
  async byReference(accountId: string, reference: string): Promise<WhatsAppMessage | undefined> {
    const [row] = await this.db.query('select * from whatsapp_messages where account_id = $1 and reference = $2 order by created_at limit 1', [accountId, reference]);
    return row ? toMessage(row) : undefined;
  }

  /** The account of our message with this wamid (a user's reply context). */
  async accountOfProviderId(providerMessageId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ account_id: string }>('select account_id from whatsapp_messages where provider_message_id = $1', [providerMessageId]);
    return row?.account_id;
  }

  /** The account that last sent a WhatsApp message to this number. */
  async lastAccountTo(number: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ account_id: string }>(
      'select account_id from whatsapp_messages where to_number = $1 order by created_at desc limit 1', [number]);
    return row?.account_id;
  }

  /**
   * Applies a status to the message found by our id (Meta echoes it in biz_opaque_callback_data)
   * or by its wamid, under a row lock: the status only moves forward and each status keeps the
   * time it was first seen. Undefined when no such message.
   */
  async transition(ref: { id?: string; providerMessageId?: string }, change: StatusChange): Promise<Transition | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = ref.id
        ? await tx.query('select * from whatsapp_messages where id = $1 for update', [ref.id])
        : await tx.query('select * from whatsapp_messages where provider_message_id = $1 for update', [ref.providerMessageId]);
      if (!row) return undefined;
      const before = toMessage(row);
      const status = nextStatus(before.status, change.status);
      const sets = ['status = $2', `${STATUS_TIME_COLUMN[change.status]} = coalesce(${STATUS_TIME_COLUMN[change.status]}, $3)`];
      const params: unknown[] = [before.id, status, change.at];
      const add = (sql: string, v: unknown) => { params.push(v); sets.push(sql.replace('?', `$${params.length}`)); };
      if (change.providerMessageId) add('provider_message_id = coalesce(provider_message_id, ?)', change.providerMessageId);
      if (change.waId) add('wa_id = coalesce(wa_id, ?)', change.waId);
      if (status === 'failed' && before.status !== 'failed' && change.error) {
        add('error_code = ?', change.error.errorCode);
        add('provider_code = ?', change.error.providerCode);
        add('error_message = ?', change.error.message);
      }
      const [updated] = await tx.query(`update whatsapp_messages set ${sets.join(', ')} where id = $1 returning *`, params);
      return { before, after: toMessage(updated) };
    });
  }
}
