/**
 * Hands accepted messages to the send queues: routes each, groups by first channel and enqueues in
 * batches. Messages with no route at all fail at once with NO_ROUTE and are reported.
 */
import type { Account, Category } from '../accounts/account.js';
import type { Db } from '../db/db-client.js';
import type { Router } from '../routing/router.js';
import type { SendQueues } from '../queues/send-queue.js';
import { enqueueReports } from '../receipts/report.repository.js';
import { statusReportFor, type ReportedMessage } from '../receipts/status-report.js';
import type { Encoding, OutboundJobMessage } from './message.js';
import { segment } from '../content/segmentation.js';

export interface DispatchItem {
  id: string;
  to: string;
  carrier: string | null;
  country: string;
  parts: string[];
  encoding: Encoding;
  sender: string | null;
  callbackUrl: string | null;
  /** The attempt this hand-off is (a re-dispatched message keeps its attempt number). */
  attempt?: number;
}

/** A stored message row as a hand-off item (re-segmenting its text: segmentation is deterministic). */
export function dispatchItemFromRow(r: Record<string, unknown>): DispatchItem {
  const encoding = r.encoding as Encoding;
  return {
    id: r.id as string, to: r.to_number as string, carrier: (r.carrier as string) ?? null, country: (r.country as string) ?? 'CN',
    parts: segment(r.text as string, encoding).parts, encoding, sender: (r.sender as string) ?? null,
    callbackUrl: (r.callback_url as string) ?? null, attempt: r.attempt as number,
  };
}

export class Dispatcher {
  constructor(private readonly db: Db, private readonly router: Router, private readonly queues: SendQueues) {}

  async dispatch(account: Account, category: Category, items: DispatchItem[], exclude: string[] = []): Promise<void> {
    if (items.length === 0) return;
    const orders = await this.router.route(account.id, category, items, exclude, account.settings.adaptiveRouting, account.settings.backfillRouting.includes(category));
    const byChannel = new Map<string, OutboundJobMessage[]>();
    const unroutable: DispatchItem[] = [];
    items.forEach((item, i) => {
      const [first, ...fallbacks] = orders[i];
      if (!first) return void unroutable.push(item);
      const list = byChannel.get(first) ?? [];
      list.push({
        id: item.id, accountId: account.id, to: item.to, sender: item.sender, extension: account.extension,
        parts: item.parts, encoding: item.encoding, attempt: item.attempt ?? 1, fallbacks, category, callbackUrl: item.callbackUrl,
      });
      byChannel.set(first, list);
    });
    await Promise.all([...byChannel].map(([channelId, msgs]) => this.queues.enqueue(channelId, account.id, category, msgs)));
    if (unroutable.length) await this.failUnroutable(account, unroutable);
  }

  private async failUnroutable(account: Account, items: DispatchItem[]): Promise<void> {
    const message = 'No enabled channel serves this destination for this account and category';
    await this.db.transaction(async (tx) => {
      const rows = await tx.query<ReportedMessage>(
        `update messages set status = 'failed', error_code = 'NO_ROUTE', error_message = $2, done_at = now()
          where id = any($1::text[]) and status = 'queued' returning id, account_id, to_number, reference, callback_url`,
        [items.map((i) => i.id), message],
      );
      const at = new Date().toISOString();
      await enqueueReports(tx, rows.map((r) => statusReportFor(r, { status: 'failed', errorCode: 'NO_ROUTE', errorMessage: message, at })));
    });
  }
}
