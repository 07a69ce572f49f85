/**
 * The SMPP side of the reports outbox: reports whose callback_url is smpp://<system_id>/… (via =
 * 'smpp'), leased like the HTTP pusher's (see ReportRepository.claimDue) so several processes
 * holding binds of the same customer never send a receipt twice.
 */
import type { Db } from '../db/db-client.js';
import type { ReportKind } from '../receipts/report.repository.js';
import { smppAddressPrefix } from './smpp-report-address.js';

/** A leased report with what a receipt needs from its message. */
export interface SmppReport {
  id: number;
  kind: ReportKind;
  callbackUrl: string;
  payload: Record<string, unknown>;
  message?: { createdAt: Date; text: string; to: string; sender: string | null };
}

export class SmppReportRepository {
  constructor(private readonly db: Db) {}

  async claim(accountId: string, systemId: string, limit: number, leaseMs: number): Promise<SmppReport[]> {
    const rows = await this.db.query<{
      id: string; kind: ReportKind; callback_url: string; payload: Record<string, unknown>;
      created_at: Date | null; text: string | null; to_number: string | null; sender: string | null;
    }>(
      `with picked as materialized (
         select r.id from reports r
          where r.account_id = $1 and r.state = 'pending' and r.via = 'smpp' and r.next_attempt_at <= now()
            and (r.leased_until is null or r.leased_until <= now()) and starts_with(r.callback_url, $2)
          order by r.next_attempt_at, r.id
          limit $3
          for update of r skip locked),
       leased as (
         update reports u set attempts = u.attempts + 1, leased_until = now() + make_interval(secs => $4)
           from picked p where u.id = p.id
         returning u.id, u.kind, u.callback_url, u.payload, u.message_id)
       select l.id, l.kind, l.callback_url, l.payload, m.created_at, m.text, m.to_number, m.sender
         from leased l left join messages m on m.id = l.message_id
        order by l.id`,
      [accountId, smppAddressPrefix(systemId), limit, leaseMs / 1000],
    );
    return rows.map((r) => ({
      id: Number(r.id), kind: r.kind, callbackUrl: r.callback_url, payload: r.payload,
      message: r.created_at ? { createdAt: r.created_at, text: r.text ?? '', to: r.to_number ?? '', sender: r.sender } : undefined,
    }));
  }

  async markDelivered(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`update reports set state = 'delivered', last_error = null where id = any($1::bigint[]) and state = 'pending'`, [ids]);
  }

  /** Back in the queue after `retryMs` (the ESME refused the deliver_sm or the bind went away). */
  async retryLater(ids: readonly number[], error: string, retryMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `update reports set last_error = $2, leased_until = null, next_attempt_at = now() + make_interval(secs => $3)
        where id = any($1::bigint[]) and state = 'pending'`,
      [ids, error.slice(0, 500), retryMs / 1000],
    );
  }
}
