/**
 * The smart-SMS parse fee: charged only for handsets that rendered the card, from the parse
 * platform's aggregate counts (it never says which numbers). The smart-SMS service hands out each
 * newly reported batch of parses once, in a transaction in which this debit is written, so a parse
 * is never charged twice and never lost if the debit fails.
 */
import { DEFAULT_SETTINGS } from '../accounts/account.js';
import type { SmartSmsService } from '../channels/smart-sms/smart-sms.service.js';
import { parseFeeFor } from '../channels/smart-sms/parse-fee.js';
import type { Logger } from '../logging/logger.js';

export class CardParseFees {
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: { smartSms: SmartSmsService; logger: Logger; intervalMs?: number }) {}

  /** Charges every parse reported since the last run; returns how many parses were charged. */
  async settle(): Promise<number> {
    const settled = await this.deps.smartSms.settleParseFees(async (tx, due) => {
      // Read inside the transaction: PGlite has one connection, held by it.
      const [account] = await tx.query<{ billing_type: string; fee: number | null }>(
        `select billing_type, (settings->>'parseFeeMillis')::int as fee from accounts where id = $1`, [due.accountId]);
      const amount = parseFeeFor({ parsed: due.parses }, account?.fee ?? DEFAULT_SETTINGS.parseFeeMillis);
      if (!account || amount === 0) return;
      // Prepaid balances go down; postpaid accounts get the ledger line only (billed on invoice).
      if (account.billing_type === 'prepaid') {
        await tx.query('update accounts set balance_millis = balance_millis - $2 where id = $1', [due.accountId, amount]);
      }
      await tx.query(
        `insert into ledger (account_id, kind, amount_millis, reason) values ($1, 'debit', $2, $3)`,
        [due.accountId, amount, `smart-SMS parse fee: ${due.parses} parse(s), campaign ${due.campaignId}`],
      );
    });
    return settled.reduce((n, d) => n + d.parses, 0);
  }

  start(): void {
    const loop = () => {
      this.timer = setTimeout(() => void this.settle().catch((err) => this.deps.logger.warn('parse fee settlement failed', { err })).finally(loop), this.deps.intervalMs ?? 60_000);
      this.timer.unref();
    };
    loop();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
