/**
 * Failure resend (DOMAIN.md §5): a message whose receipt says it failed within 30 s of submission
 * may go out once more on another channel, up to a daily cap per account so users don't get
 * duplicates. The message keeps its id; the new attempt shows in its history.
 */
import type { Redis } from 'ioredis';
import type { AccountRepository } from '../accounts/account.repository.js';
import type { Category } from '../accounts/account.js';
import type { Db } from '../db/db-client.js';
import type { Logger } from '../logging/logger.js';
import type { Router } from '../routing/router.js';
import { dispatchItemFromRow, type Dispatcher } from './dispatcher.js';
import type { FailedEarly } from '../receipts/receipt-processor.js';
import { enqueueReports } from '../receipts/report.repository.js';
import type { HandoffMarkers } from '../queues/handoff-markers.js';

export class Resender {
  constructor(
    private readonly deps: { db: Db; redis: Redis; prefix: string; accounts: AccountRepository; router: Router; dispatcher: Dispatcher; handoffs: HandoffMarkers; logger: Logger },
  ) {}

  private inFlight = new Set<Promise<number>>();

  /** Starts deciding resends in the background; `drain` waits for them (shutdown). */
  start(failures: FailedEarly[]): void {
    const run = this.resend(failures).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async resend(failures: FailedEarly[]): Promise<number> {
    let count = 0;
    for (const f of failures) {
      let resent = false;
      try {
        resent = await this.resendOne(f);
      } catch (err) {
        this.deps.logger.error('resend failed', { messageId: f.messageId, err });
      }
      if (resent) count++;
      // No resend after all: the customer is owed the failure report that was held back.
      else await enqueueReports(this.deps.db, [f.heldReport]).catch((err) => this.deps.logger.error('held report lost', { messageId: f.messageId, err }));
    }
    return count;
  }

  private async resendOne(f: FailedEarly): Promise<boolean> {
    const { db, redis, prefix, accounts, router, dispatcher, handoffs } = this.deps;
    const account = await accounts.findById(f.accountId);
    if (!account || account.settings.dailyResendCap <= 0) return false;
    const [m] = await db.query(`select * from messages where id = $1 and status = 'failed' and not resent`, [f.messageId]);
    if (!m) return false;
    const [order] = await router.route(account.id, m.category as Category, [{ carrier: (m.carrier as string) ?? null, country: (m.country as string) ?? 'CN' }], [f.channelId], account.settings.adaptiveRouting, account.settings.backfillRouting.includes(m.category as Category));
    if (!order?.length) return false;
    const day = new Date().toISOString().slice(0, 10);
    const capKey = `${prefix}:resend:${account.id}:${day}`;
    const used = await redis.incr(capKey);
    if (used === 1) await redis.expire(capKey, 2 * 86_400);
    if (used > account.settings.dailyResendCap) return false;
    const attempt = (m.attempt as number) + 1;
    await handoffs.mark([m.id as string]);
    // Claim the message for the resend; a concurrent claim (another process) loses here.
    const claimed = await db.query(
      `update messages set status = 'queued', resent = true, attempt = $2, parts_delivered = 0, parts_failed = 0, error_code = null, error_message = null, done_at = null
        where id = $1 and status = 'failed' and not resent returning id`,
      [m.id, attempt],
    );
    if (!claimed.length) return false;
    await dispatcher.dispatch(account, m.category as Category, [dispatchItemFromRow({ ...m, attempt })], [f.channelId]);
    await handoffs.clear([m.id as string]);
    return true;
  }
}
