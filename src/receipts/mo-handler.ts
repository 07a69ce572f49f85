/**
 * MO (uplink) replies: route to the account by extension, store, honour unsubscribe replies, and
 * owe the customer an `mo` report. Storing, blacklisting and enqueueing happen in one transaction,
 * so an MO is never half-handled.
 */
import { nanoid } from 'nanoid';
import type { Db } from '../db/db-client.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import { maskNumber, type Logger } from '../logging/logger.js';
import { parsePhoneNumber } from '../numbers/phone-number.js';
import { enqueueReports, type MoReportPayload } from './report.repository.js';
import { smppAddressPrefix } from '../smpp-server/smpp-report-address.js';

export interface MoDeps {
  db: Db;
  accounts: AccountRepository;
  logger: Logger;
  /** Called after commit for each unsubscribe (the lead wires it to the Redis blacklist cache). A
   * failure is logged, not thrown: the database entry is the record and the cache can be rebuilt. */
  onUnsubscribe?: (accountId: string, number: string) => Promise<void> | void;
  /** The system_id whose receiver binds get this account's MO, when it takes MO over SMPP. */
  smppSystemIdFor?: (accountId: string) => Promise<string | undefined>;
  newId?: () => string;
}

export interface InboundMo {
  /** The subscriber's number. */
  from: string;
  /** Destination address: access code + the account's extension. */
  to: string;
  text: string;
  channelId: string | null;
  receivedAt: Date;
}

export interface MoResult {
  id: string;
  accountId: string | null;
  unsubscribed: boolean;
  reportId: number | null;
}

/** Group and source used for MO unsubscribes in blacklist_entries. */
export const UNSUBSCRIBE_GROUP = 'unsubscribe';

// R is the current rule (拒收请回复R); TD, T and 退订 come from older suffixes still in circulation.
const UNSUBSCRIBE_REPLIES = new Set(['R', 'TD', 'T', '退订']);

/**
 * True when the reply text is an unsubscribe request. Compared after NFKC (full-width Ｒ from CJK
 * input methods becomes R), trimming (incl. the ideographic space) and upper-casing; anything else,
 * e.g. "R please", is a free-text reply.
 */
export function isUnsubscribeReply(text: string): boolean {
  return UNSUBSCRIBE_REPLIES.has(text.normalize('NFKC').trim().toUpperCase());
}

export async function handleMo(deps: MoDeps, mo: InboundMo): Promise<MoResult> {
  const id = deps.newId?.() ?? 'mo_' + nanoid(16);
  const account = await deps.accounts.findByExtensionPrefix(mo.to);
  const log = deps.logger.child({ component: 'mo', moId: id });

  if (!account) {
    await deps.db.query(
      `insert into mo_messages (id, account_id, from_number, to_address, text, channel_id, received_at)
       values ($1, null, $2, $3, $4, $5, $6)`,
      [id, mo.from, mo.to, mo.text, mo.channelId, mo.receivedAt],
    );
    log.warn('MO for no known extension', { from: maskNumber(mo.from), to: maskNumber(mo.to), channelId: mo.channelId });
    return { id, accountId: null, unsubscribed: false, reportId: null };
  }

  const unsubscribed = isUnsubscribeReply(mo.text);
  // Blacklist in E.164, the form the send path checks; gateways deliver MO senders as 138…, 86138…
  // or +86138…. A number that does not parse is kept as received.
  const parsed = parsePhoneNumber(mo.from);
  const blacklistNumber = parsed.ok ? parsed.e164 : mo.from;
  const payload: MoReportPayload = {
    type: 'mo',
    id,
    from: mo.from,
    to: mo.to,
    text: mo.text,
    receivedAt: mo.receivedAt.toISOString(),
    unsubscribed,
  };
  const smppSystemId = await deps.smppSystemIdFor?.(account.id);
  const reportId = await deps.db.transaction(async (tx) => {
    await tx.query(
      `insert into mo_messages (id, account_id, from_number, to_address, text, channel_id, received_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [id, account.id, mo.from, mo.to, mo.text, mo.channelId, mo.receivedAt],
    );
    if (unsubscribed) {
      // A second R from the same number is a no-op, not an error.
      await tx.query(
        `insert into blacklist_entries (account_scope, group_name, number, level, source)
         values ($1, $2, $3, 'low', 'mo_unsubscribe')
         on conflict (account_scope, group_name, number) do nothing`,
        [account.id, UNSUBSCRIBE_GROUP, blacklistNumber],
      );
    }
    const callbackUrl = smppSystemId === undefined ? null : smppAddressPrefix(smppSystemId);
    const [rid] = await enqueueReports(tx, [{ accountId: account.id, kind: 'mo', payload, callbackUrl }]);
    return rid;
  });

  log.info('MO received', { accountId: account.id, from: maskNumber(mo.from), unsubscribed });
  if (unsubscribed && deps.onUnsubscribe) {
    try {
      await deps.onUnsubscribe(account.id, blacklistNumber);
    } catch (err) {
      log.error('unsubscribe hook failed; blacklist cache may lag the database', {
        accountId: account.id, from: maskNumber(mo.from), err: err instanceof Error ? err : String(err),
      });
    }
  }
  return { id, accountId: account.id, unsubscribed, reportId };
}
