/**
 * What users send to chatbots: stored once per MaaP message id (notifications are redelivered), in
 * the same transaction as the `mo` report owed to the customer when no auto-reply answers it.
 */
import type { Db } from '../../db/db-client.js';
import { enqueueReports, type NewReport } from '../../receipts/report.repository.js';

export interface NewRcsInbound {
  id: string;
  providerMessageId: string;
  accountId: string;
  chatbotId: string;
  from: string;
  kind: 'text' | 'postback';
  text: string;
  postback: string | null;
  inReplyTo: string | null;
  ruleId: string | null;
  payload: unknown;
  receivedAt: Date;
}

export class RcsInboundRepository {
  constructor(private readonly db: Db) {}

  /** False when this MaaP message was stored before (nothing else happens then). */
  async record(m: NewRcsInbound, report: NewReport | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `insert into rcs_inbound (id, provider_message_id, account_id, chatbot_id, from_number, kind, text, postback, in_reply_to, rule_id, payload, received_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12)
         on conflict (provider_message_id) do nothing returning id`,
        [m.id, m.providerMessageId, m.accountId, m.chatbotId, m.from, m.kind, m.text, m.postback, m.inReplyTo, m.ruleId, JSON.stringify(m.payload), m.receivedAt],
      );
      if (inserted.length === 0) return false;
      if (report) await enqueueReports(tx, [report]);
      return true;
    });
  }

  async setReply(id: string, replyMessageId: string): Promise<void> {
    await this.db.query('update rcs_inbound set reply_message_id = $2 where id = $1', [id, replyMessageId]);
  }

  /** The auto-reply could not be sent: the message goes to the customer after all. */
  async unanswered(id: string, report: NewReport): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('update rcs_inbound set rule_id = null where id = $1', [id]);
      await enqueueReports(tx, [report]);
    });
  }
}
