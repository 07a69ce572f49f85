/**
 * Cancelling a scheduled message (DELETE /v1/messages/:id, SMPP cancel_sm): status, refund and the
 * customer's report in one transaction, so a cancel is never half-done.
 */
import type { Db } from '../db/db-client.js';
import { refundCancelled } from '../billing/settlement.js';
import { enqueueReports } from '../receipts/report.repository.js';
import type { StatusReportPayload } from '../receipts/status-report.js';
import type { MessageRepository } from './message.repository.js';
import type { MessageStatus } from './message.js';

export type CancelOutcome =
  | { kind: 'cancelled'; refundedMillis: number }
  | { kind: 'not_found' }
  /** Only scheduled messages can be cancelled; this one is already further along. */
  | { kind: 'not_cancellable'; status: MessageStatus };

export async function cancelScheduledMessage(deps: { db: Db; messageRepo: MessageRepository }, accountId: string, id: string): Promise<CancelOutcome> {
  const cancelled = await deps.db.transaction(async (tx) => {
    const c = await deps.messageRepo.cancelScheduled(tx, accountId, id);
    if (!c) return c;
    await refundCancelled(tx, accountId, [id]);
    // The customer hears about a cancellation like about any other final status.
    await enqueueReports(tx, [{
      accountId, kind: 'status', messageId: id, callbackUrl: c.callbackUrl,
      payload: { type: 'status', messageId: id, reference: c.reference, to: c.to, status: 'cancelled', errorCode: 'CANCELLED', errorMessage: 'Cancelled by the customer', at: new Date().toISOString() } satisfies StatusReportPayload,
    }]);
    return c;
  });
  if (cancelled) return { kind: 'cancelled', refundedMillis: cancelled.costMillis };
  const m = await deps.messageRepo.get(accountId, id);
  return m ? { kind: 'not_cancellable', status: m.status as MessageStatus } : { kind: 'not_found' };
}
