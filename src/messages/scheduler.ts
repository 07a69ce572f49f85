/**
 * Hands messages to the send queues when the accept path could not or should not:
 * - scheduled messages (scheduledAt, or held until the sending window opens) when they are due;
 * - queued messages whose hand-off was lost (the process died between the statement that queued
 *   them and the enqueue): their hand-off markers (handoff-markers.ts) grow old, and they are
 *   re-dispatched. Workers claim each (message, attempt) before submitting (submit-claims.ts), so
 *   a message dispatched twice is still sent once.
 * Releasing locks the due rows (skip locked), so a concurrent cancel or a second process can
 * never release the same message twice.
 */
import type { Account, Category } from '../accounts/account.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import type { Logger } from '../logging/logger.js';
import { dispatchItemFromRow, type Dispatcher, type DispatchItem } from './dispatcher.js';
import type { MessageRepository } from './message.repository.js';
import type { HandoffMarkers } from '../queues/handoff-markers.js';

export class ScheduledReleaser {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly messages: MessageRepository,
    private readonly accounts: AccountRepository,
    private readonly dispatcher: Dispatcher,
    private readonly handoffs: HandoffMarkers,
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
    const rows = await this.messages.releaseDueScheduled(limit, (ids) => this.handoffs.mark(ids));
    await this.dispatchRows(rows);
    return rows.length;
  }

  /**
   * Re-dispatches messages whose hand-off marker is older than staleAfterMs (default 10 min) and
   * that are still queued; returns how many markers it settled.
   */
  async redispatchStale(limit = 1_000): Promise<number> {
    const ids = await this.handoffs.stale(this.opts.staleAfterMs ?? 10 * 60_000, limit);
    if (ids.length === 0) return 0;
    const rows = await this.messages.queuedAmong(ids);
    if (rows.length) this.logger.warn('re-dispatching queued messages whose hand-off was lost', { count: rows.length });
    await this.dispatchRows(rows);
    await this.handoffs.clear(ids);
    return ids.length;
  }

  private async dispatchRows(rows: Array<Record<string, unknown>>): Promise<void> {
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
      await this.handoffs.clear(g.items.map((i) => i.id));
    }
  }
}
