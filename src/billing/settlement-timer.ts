/** Runs the 72-hour settlement (unknown statuses, refunds) every few minutes in a worker process. */
import type { Db } from '../db/db-client.js';
import type { Logger } from '../logging/logger.js';
import { settleMessages } from './settlement.js';

export class SettlementTimer {
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: Db, private readonly logger: Logger, private readonly intervalMs = 5 * 60_000) {}

  start(): void {
    const run = async () => {
      try {
        await settleMessages(this.db, {});
      } catch (err) {
        this.logger.error('settlement failed', { err });
      }
      this.timer = setTimeout(run, this.intervalMs);
      this.timer.unref();
    };
    this.timer = setTimeout(run, 10_000);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
