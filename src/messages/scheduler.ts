/**
 * Hands messages to the send queues when the accept path could not or should not:
 * - scheduled messages (scheduledAt, or held until the sending window opens) when they are due;
 * - queued messages whose hand-off may have been lost (the process died between the accept
 *   commit and the enqueue), re-dispatched after a grace period. Workers claim each (message,
 *   attempt) before submitting (submit-claims.ts), so a message dispatched twice is sent once.
 * Claiming flips rows in one statement, so a concurrent cancel or a second process can never
 * release the same message twice.
 */
import type { Account, Category } from '../accounts/account.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import type { Logger } from '../logging/logger.js';
import { dispatchItemFromRow, type Dispatcher, type DispatchItem } from './dispatcher.js';
import type { MessageRepository } from './message.repository.js';

export class ScheduledReleaser {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly messages: MessageRepository,
    private readonly accounts: AccountRepository,
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger,
    private readonly opts: { intervalMs?: number; staleAfterMs?: number } = {},
  ) {}

  start(): void {
    const loop = async () => {
      try {
        while ((await this.releaseDue()) > 0);
        while ((await this.redispatchStale()) > 0);
      } catch (err) {
        this.logger.error('releasing scheduled messages failed', { err });
      }
      this.timer = setTimeout(loop, this.opts.intervalMs ?? 1_000);
    };
    this.timer = setTimeout(loop, this.opts.intervalMs ?? 1_000);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Releases up to one chunk of due scheduled messages; returns how many. */
  async releaseDue(limit = 1_000): Promise<number> {
    return this.dispatchRows(await this.messages.claimDueScheduled(limit));
  }

  /** Re-dispatches queued messages not handed off for staleAfterMs (default 10 min); returns how many. */
  async redispatchStale(limit = 1_000): Promise<number> {
    const rows = await this.messages.claimStaleQueued(this.opts.staleAfterMs ?? 10 * 60_000, limit);
    if (rows.length) this.logger.warn('re-dispatching queued messages whose hand-off was lost', { count: rows.length });
    return this.dispatchRows(rows);
  }

  private async dispatchRows(rows: Array<Record<string, unknown>>): Promise<number> {
    const groups = new Map<string, { accountId: string; category: Category; items: DispatchItem[] }>();
    for (const r of rows) {
      const key = `${r.account_id}|${r.category}`;
      const g = groups.get(key) ?? { accountId: r.account_id as string, category: r.category as Category, items: [] };
      g.items.push(dispatchItemFromRow(r));
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const account = (await this.accounts.findById(g.accountId)) as Account;
      await this.dispatcher.dispatch(account, g.category, g.items);
    }
    return rows.length;
  }
}
