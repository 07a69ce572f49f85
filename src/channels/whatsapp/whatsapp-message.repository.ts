/**
 * SQL for WhatsApp messages: their status (moved only forward, see whatsapp-status.ts) and their
 * SMS fallback, whose claim is one conditional UPDATE so exactly one caller (timer, sweeper or
 * failure webhook, in any process) gets to send the SMS.
 */
import { dateOrNull, type Db } from '../../db/db-client.js';
import type { WhatsAppContent, WhatsAppType } from './whatsapp-content.js';
import type { FallbackSms } from './whatsapp-request.js';
import { STATUS_TIME_COLUMN, conditionReached, nextStatus, type FallbackCondition, type WhatsAppStatus } from './whatsapp-status.js';

export type FallbackState = 'armed' | 'not_needed' | 'claimed' | 'sent' | 'error';
export type FallbackReason = 'failed' | 'timeout';

/** The SMS fallback of a message, as stored. */
export interface WhatsAppFallback {
  condition: FallbackCondition;
  timeoutSeconds: number;
  sms: FallbackSms;
  state: FallbackState;
  /** armed: when the timeout fires; claimed: when the claim's lease ends. */
  dueAt: Date | null;
  reason: FallbackReason | null;
  /** The WhatsApp error code that made it fall back (e.g. 131026), when it failed. */
  reasonCode: string | null;
  claimedAt: Date | null;
  smsMessageId: string | null;
  sentAt: Date | null;
  error: string | null;
}

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
  fallback: WhatsAppFallback | null;
}

export interface NewWhatsAppMessage {
  id: string;
  accountId: string;
  to: string;
  content: WhatsAppContent;
  reference: string | null;
  fallback: { condition: FallbackCondition; timeoutSeconds: number; sms: FallbackSms; dueAt: Date } | null;
  createdAt: Date;
}

/** What a status change did to the message and to its fallback. */
export interface Transition {
  before: WhatsAppMessage;
  after: WhatsAppMessage;
  /** This call claimed the SMS fallback (the message failed while armed): the caller sends it. */
  claimed: boolean;
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
    fallback: r.fallback_state == null ? null : {
      condition: r.fallback_condition as FallbackCondition, timeoutSeconds: r.fallback_timeout_seconds as number,
      sms: r.fallback_sms as FallbackSms, state: r.fallback_state as FallbackState, dueAt: dateOrNull(r.fallback_due_at),
      reason: (r.fallback_reason as FallbackReason) ?? null, reasonCode: (r.fallback_reason_code as string) ?? null,
      claimedAt: dateOrNull(r.fallback_claimed_at), smsMessageId: (r.fallback_message_id as string) ?? null,
      sentAt: dateOrNull(r.fallback_sent_at), error: (r.fallback_error as string) ?? null,
    },
  };
}

export class WhatsAppMessageRepository {
  constructor(private readonly db: Db) {}

  async insert(m: NewWhatsAppMessage): Promise<WhatsAppMessage> {
    const [row] = await this.db.query(
      `insert into whatsapp_messages (id, account_id, to_number, type, content, reference, status, created_at,
         fallback_condition, fallback_timeout_seconds, fallback_sms, fallback_state, fallback_due_at)
       values ($1, $2, $3, $4, $5::jsonb, $6, 'pending', $7, $8, $9, $10::jsonb, $11, $12)
       returning *`,
      [m.id, m.accountId, m.to, m.content.type, JSON.stringify(m.content), m.reference, m.createdAt,
        m.fallback?.condition ?? null, m.fallback?.timeoutSeconds ?? null, m.fallback ? JSON.stringify(m.fallback.sms) : null,
        m.fallback ? 'armed' : null, m.fallback?.dueAt ?? null],
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
   * or by its wamid, under a row lock: the status only moves forward, each status keeps the time
   * it was first seen, and an armed fallback is settled in the same transaction (condition
   * reached → not_needed; failed → claimed by this call). Undefined when no such message.
   */
  async transition(ref: { id?: string; providerMessageId?: string }, change: StatusChange, leaseMs: number): Promise<Transition | undefined> {
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
      let claimed = false;
      if (before.fallback?.state === 'armed') {
        if (conditionReached(status, before.fallback.condition)) {
          sets.push(`fallback_state = 'not_needed', fallback_due_at = null`);
        } else if (status === 'failed') {
          claimed = true;
          add(`fallback_state = 'claimed', fallback_reason = 'failed', fallback_claimed_at = $3, fallback_due_at = ?`, new Date(change.at.getTime() + leaseMs));
          add('fallback_reason_code = ?', change.error?.providerCode ?? change.error?.errorCode ?? null);
        }
      }
      const [updated] = await tx.query(`update whatsapp_messages set ${sets.join(', ')} where id = $1 returning *`, params);
      return { before, after: toMessage(updated), claimed };
    });
  }

  /**
   * Claims the fallback of messages whose timeout has passed (armed) or whose claimer died
   * (claimed, lease over), at most `limit`. Each row is claimed by exactly one caller.
   */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<WhatsAppMessage[]> {
    const rows = await this.db.query(
      `update whatsapp_messages set fallback_state = 'claimed', fallback_reason = coalesce(fallback_reason, 'timeout'),
         fallback_claimed_at = $1, fallback_due_at = $2
       where id in (
         select id from whatsapp_messages
          where (fallback_state = 'armed' or fallback_state = 'claimed') and fallback_due_at <= $1
          order by fallback_due_at limit $3
          for update skip locked)
         and (fallback_state = 'armed' or fallback_state = 'claimed') and fallback_due_at <= $1
       returning *`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return rows.map(toMessage);
  }

  /** Claims one armed fallback whose timeout has passed (the in-process timer's path). */
  async claimTimedOut(id: string, now: Date, leaseMs: number): Promise<WhatsAppMessage | undefined> {
    const [row] = await this.db.query(
      `update whatsapp_messages set fallback_state = 'claimed', fallback_reason = 'timeout', fallback_claimed_at = $2, fallback_due_at = $3
        where id = $1 and fallback_state = 'armed' and fallback_due_at <= $2
        returning *`,
      [id, now, new Date(now.getTime() + leaseMs)],
    );
    return row ? toMessage(row) : undefined;
  }

  /** Records the SMS that went out; only the claim holder's first call counts. */
  async completeFallback(id: string, smsMessageId: string, at: Date): Promise<WhatsAppMessage | undefined> {
    const [row] = await this.db.query(
      `update whatsapp_messages set fallback_state = 'sent', fallback_message_id = $2, fallback_sent_at = $3, fallback_due_at = null, fallback_error = null
        where id = $1 and fallback_state = 'claimed' and fallback_message_id is null
        returning *`,
      [id, smsMessageId, at],
    );
    return row ? toMessage(row) : undefined;
  }

  /** The SMS could not be sent (refused input, no balance…): final, recorded with the reason. */
  async failFallback(id: string, error: string): Promise<WhatsAppMessage | undefined> {
    const [row] = await this.db.query(
      `update whatsapp_messages set fallback_state = 'error', fallback_error = $2, fallback_due_at = null
        where id = $1 and fallback_state = 'claimed' and fallback_message_id is null
        returning *`,
      [id, error.slice(0, 500)],
    );
    return row ? toMessage(row) : undefined;
  }
}
