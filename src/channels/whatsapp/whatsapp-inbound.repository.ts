/**
 * What users write: stored once per Meta message id (webhooks are redelivered), opening the 24 h
 * customer-service window of (account, number), and owed to the customer as an `mo` report, all
 * in one transaction so an inbound message is never half-handled.
 *
 * The window lives in PostgreSQL, not only in Redis: it decides whether a free-form message may
 * go out, and a lost Redis must not refuse (or allow) a send it should not. One primary-key read
 * per send is cheap.
 */
import type { Db } from '../../db/db-client.js';
import { enqueueReports, type NewReport } from '../../receipts/report.repository.js';

/** Meta's customer-service window. */
export const WINDOW_MS = 24 * 3_600_000;

export interface NewInbound {
  id: string;
  providerMessageId: string;
  /** Null when no account could be found for the number (kept for the operator). */
  accountId: string | null;
  /** E.164. */
  from: string;
  type: string;
  text: string;
  contextId: string | null;
  payload: unknown;
  receivedAt: Date;
}

export class WhatsAppInboundRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores the message, opens the window and enqueues the report. False when this provider id
   * was stored before (a redelivered webhook): nothing else happens then.
   */
  async record(m: NewInbound, report: NewReport | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `insert into whatsapp_inbound (id, provider_message_id, account_id, from_number, type, text, context_id, payload, received_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
         on conflict (provider_message_id) do nothing
         returning id`,
        [m.id, m.providerMessageId, m.accountId, m.from, m.type, m.text, m.contextId, JSON.stringify(m.payload), m.receivedAt],
      );
      if (inserted.length === 0) return false;
      if (m.accountId) {
        // greatest(): a delayed, older message never shortens a window a newer one opened.
        await tx.query(
          `insert into whatsapp_windows (account_id, number, last_inbound_at) values ($1, $2, $3)
           on conflict (account_id, number) do update set last_inbound_at = greatest(whatsapp_windows.last_inbound_at, excluded.last_inbound_at)`,
          [m.accountId, m.from, m.receivedAt],
        );
      }
      if (report) await enqueueReports(tx, [report]);
      return true;
    });
  }

  /** When the user last wrote to this account, or undefined. */
  async lastInboundAt(accountId: string, number: string): Promise<Date | undefined> {
    const [row] = await this.db.query<{ last_inbound_at: string }>(
      'select last_inbound_at from whatsapp_windows where account_id = $1 and number = $2', [accountId, number]);
    return row ? new Date(row.last_inbound_at) : undefined;
  }
}

/** True while a message the user sent at `lastInbound` still allows free-form messages at `now`. */
export function windowOpen(lastInbound: Date | undefined, now: Date): boolean {
  return lastInbound !== undefined && now.getTime() - lastInbound.getTime() < WINDOW_MS;
}
