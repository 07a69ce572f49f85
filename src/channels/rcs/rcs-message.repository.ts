/**
 * SQL for 5G messages: insert (idempotent per fallback step reference), status changes under a
 * row lock (forward only, first time of each status kept, every arrival appended to `history`),
 * and reads scoped by account.
 */
import { dateOrNull, type Db } from '../../db/db-client.js';
import type { RcsMessageBody } from './maap-message.js';
import { RCS_TIME_COLUMN, nextRcsStatus, type RcsStatus } from './rcs-status.js';

export type RcsOrigin = 'api' | 'fallback' | 'auto_reply';

export interface RcsHistoryEntry {
  status: RcsStatus;
  maapStatus: string | null;
  at: string;
  code: string | null;
}

export interface RcsMessage {
  id: string;
  accountId: string;
  chatbotId: string;
  to: string;
  kind: string;
  payload: RcsMessageBody;
  stepRef: string | null;
  reference: string | null;
  origin: RcsOrigin;
  smsContent: string | null;
  status: RcsStatus;
  maapStatus: string | null;
  deliveredAsSms: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  history: RcsHistoryEntry[];
  createdAt: Date;
  acceptedAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
}

export type NewRcsMessage = Pick<RcsMessage, 'id' | 'accountId' | 'chatbotId' | 'to' | 'kind' | 'payload' | 'stepRef' | 'reference' | 'origin' | 'smsContent'> & { createdAt: Date };

export interface RcsStatusChange {
  status: Exclude<RcsStatus, 'pending'>;
  at: Date;
  maapStatus?: string;
  code?: string | null;
  message?: string | null;
  deliveredAsSms?: boolean;
}

function toMessage(r: Record<string, unknown>): RcsMessage {
  return {
    id: r.id as string, accountId: r.account_id as string, chatbotId: r.chatbot_id as string, to: r.to_number as string,
    kind: r.kind as string, payload: r.payload as RcsMessageBody, stepRef: (r.step_ref as string) ?? null, reference: (r.reference as string) ?? null,
    origin: r.origin as RcsOrigin, smsContent: (r.sms_content as string) ?? null, status: r.status as RcsStatus,
    maapStatus: (r.maap_status as string) ?? null, deliveredAsSms: r.delivered_as_sms as boolean,
    errorCode: (r.error_code as string) ?? null, errorMessage: (r.error_message as string) ?? null, history: r.history as RcsHistoryEntry[],
    createdAt: new Date(r.created_at as string), acceptedAt: dateOrNull(r.accepted_at), sentAt: dateOrNull(r.sent_at),
    deliveredAt: dateOrNull(r.delivered_at), readAt: dateOrNull(r.read_at), failedAt: dateOrNull(r.failed_at),
  };
}

export class RcsMessageRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores a new message; with a step reference already stored, stores nothing and returns the
   * first message (`created: false`).
   */
  async insert(m: NewRcsMessage): Promise<{ message: RcsMessage; created: boolean }> {
    const history: RcsHistoryEntry[] = [{ status: 'pending', maapStatus: null, at: m.createdAt.toISOString(), code: null }];
    const [row] = await this.db.query(
      `insert into rcs_messages (id, account_id, chatbot_id, to_number, kind, payload, step_ref, reference, origin, sms_content, status, history, created_at)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, 'pending', $11::jsonb, $12)
       on conflict (step_ref) do nothing returning *`,
      [m.id, m.accountId, m.chatbotId, m.to, m.kind, JSON.stringify(m.payload), m.stepRef, m.reference, m.origin, m.smsContent, JSON.stringify(history), m.createdAt],
    );
    if (row) return { message: toMessage(row), created: true };
    const [first] = await this.db.query('select * from rcs_messages where step_ref = $1', [m.stepRef]);
    return { message: toMessage(first), created: false };
  }

  async get(accountId: string, id: string): Promise<RcsMessage | undefined> {
    const [row] = await this.db.query('select * from rcs_messages where account_id = $1 and id = $2', [accountId, id]);
    return row ? toMessage(row) : undefined;
  }

  /** Applies a status to our message `id`; undefined when there is no such message. */
  async transition(id: string, change: RcsStatusChange): Promise<{ before: RcsMessage; after: RcsMessage } | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query('select * from rcs_messages where id = $1 for update', [id]);
      if (!row) return undefined;
      const before = toMessage(row);
      const status = nextRcsStatus(before.status, change.status);
      const column = RCS_TIME_COLUMN[change.status];
      const entry: RcsHistoryEntry = { status: change.status, maapStatus: change.maapStatus ?? null, at: change.at.toISOString(), code: change.code ?? null };
      const moved = status !== before.status;
      // An ignored failure (after delivery) leaves no failure time behind; a late sent still records when it was sent.
      const time = moved || (change.status !== 'failed' && change.status !== 'not_capable') ? `, ${column} = coalesce(${column}, $3)` : '';
      const [updated] = await tx.query(
        `update rcs_messages set status = $2${time}, history = history || $4::jsonb,
           maap_status = coalesce($5, maap_status),
           delivered_as_sms = delivered_as_sms or ($6 and $7),
           error_code = case when $7 and $8::text is not null then $8 else error_code end,
           error_message = case when $7 and $9::text is not null then $9 else error_message end
         where id = $1 and $3::timestamptz is not null returning *`,
        [id, status, change.at, JSON.stringify([entry]), change.maapStatus ?? null, change.deliveredAsSms ?? false, moved, change.code ?? null, change.message ?? null],
      );
      return { before, after: toMessage(updated) };
    });
  }
}
