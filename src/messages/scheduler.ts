/**
 * Releases scheduled messages (scheduledAt, or held until the sending window opens) when they are
 * due. Claiming flips them to queued in one statement, so a concurrent cancel or a second process
 * can never release the same message twice.
 */
import type { Account, Category } from '../accounts/account.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import { segment } from '../content/segmentation.js';
import type { Logger } from '../logging/logger.js';
import type { Dispatcher, DispatchItem } from './dispatcher.js';
import type { MessageRepository } from './message.repository.js';

export class ScheduledReleaser {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly messages: MessageRepository,
    private readonly accounts: AccountRepository,
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    const loop = async () => {
      try {
        while ((await this.releaseDue()) > 0);
      } catch (err) {
        this.logger.error('releasing scheduled messages failed', { err });
      }
      this.timer = setTimeout(loop, this.intervalMs);
    };
    this.timer = setTimeout(loop, this.intervalMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Releases up to one chunk of due messages; returns how many. */
  async releaseDue(limit = 1_000): Promise<number> {
    const rows = await this.messages.claimDueScheduled(limit);
    const groups = new Map<string, { accountId: string; category: Category; items: DispatchItem[] }>();
    for (const r of rows) {
      const key = `${r.account_id}|${r.category}`;
      const g = groups.get(key) ?? { accountId: r.account_id as string, category: r.category as Category, items: [] };
      g.items.push({
        id: r.id as string, to: r.to_number as string, carrier: (r.carrier as string) ?? null, country: (r.country as string) ?? 'CN',
        parts: segment(r.text as string, r.encoding as 'gsm7' | 'ucs2').parts, encoding: r.encoding as 'gsm7' | 'ucs2',
        sender: (r.sender as string) ?? null, callbackUrl: (r.callback_url as string) ?? null,
      });
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const account = (await this.accounts.findById(g.accountId)) as Account;
      await this.dispatcher.dispatch(account, g.category, g.items);
    }
    return rows.length;
  }
}
