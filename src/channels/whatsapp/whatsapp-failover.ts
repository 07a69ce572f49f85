/**
 * SMS failover of WhatsApp messages. A message with a fallback is `armed` with a due time; it goes
 * out as SMS when WhatsApp fails (the failure claims it, see WhatsAppMessageRepository.transition)
 * or when the due time passes first. Timeouts survive a restart: the due time is stored and a
 * sweeper claims due rows in any process; an in-process timer only shortens the wait. Claims are
 * conditional updates, so the SMS is sent once whoever races for it. A claim whose process died
 * before recording the SMS is taken over after its lease, so `sendSmsFallback` must be idempotent
 * per WhatsApp message id (the platform's implementation uses an Idempotency-Key). A refusal
 * (AppError 4xx) is final: the fallback is recorded as `error`; other failures are retried.
 */
import { AppError } from '../../http/app-error.js';
import { maskNumber, type Logger } from '../../logging/logger.js';
import type { WhatsAppMessage, WhatsAppMessageRepository } from './whatsapp-message.repository.js';

/** Sends the SMS of a fallen-back WhatsApp message; resolves with the SMS message id. */
export type SendSmsFallback = (message: WhatsAppMessage) => Promise<{ smsMessageId: string }>;

export type FailoverEvent =
  | { type: 'fallback_sent'; message: WhatsAppMessage; smsMessageId: string }
  | { type: 'fallback_failed'; message: WhatsAppMessage; error: string };

export interface FailoverOptions {
  repo: WhatsAppMessageRepository;
  sendSmsFallback: SendSmsFallback;
  emit: (e: FailoverEvent) => void;
  logger: Logger;
  now?: () => Date;
  /** How long a claim is held before another process may take it over. Default 2 min. */
  leaseMs?: number;
  /** Sweeper period. Default 5 s. */
  sweepIntervalMs?: number;
  /** Rows claimed per sweep. Default 100. */
  sweepBatch?: number;
}

/** A refusal that a retry cannot fix (4xx: balance, category, number, text), not 409 (in progress). */
function isFinal(err: unknown): boolean {
  return err instanceof AppError && err.status < 500 && err.status !== 409;
}

export class WhatsAppFailover {
  readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: FailoverOptions) {
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.now = opts.now ?? (() => new Date());
  }

  /** Starts a timer for an armed message so it need not wait for the next sweep. */
  arm(message: WhatsAppMessage): void {
    const due = message.fallback?.state === 'armed' ? message.fallback.dueAt : null;
    if (!due || this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(message.id);
      this.track(this.onTimeout(message.id));
      // A few ms late: timers may fire a millisecond early, and the claim compares with the due time.
    }, Math.max(0, due.getTime() - this.now().getTime()) + 5);
    timer.unref();
    this.timers.set(message.id, timer);
  }

  /** The message no longer needs its timer (condition reached, or claimed by a failure). */
  disarm(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  /** Sends the SMS of a message this process has claimed. Never throws. */
  async run(claimed: WhatsAppMessage): Promise<void> {
    this.disarm(claimed.id);
    const log = this.opts.logger.child({ component: 'whatsapp-failover', waMessageId: claimed.id });
    let smsMessageId: string;
    try {
      ({ smsMessageId } = await this.opts.sendSmsFallback(claimed));
    } catch (err) {
      const error = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      if (!isFinal(err)) {
        // Infrastructure trouble (database, Redis) or a send still in progress elsewhere: the
        // claim stays, and the sweeper takes it over when its lease ends.
        log.warn('SMS fallback failed; retried after the claim lease', { to: maskNumber(claimed.to), error });
        return;
      }
      log.warn('SMS fallback could not be sent', { to: maskNumber(claimed.to), error });
      const failed = await this.opts.repo.failFallback(claimed.id, error).catch(() => undefined);
      if (failed) this.opts.emit({ type: 'fallback_failed', message: failed, error });
      return;
    }
    const done = await this.opts.repo.completeFallback(claimed.id, smsMessageId, this.now());
    if (!done) return; // a lease taker finished first; same SMS (idempotent sender)
    log.info('fell back to SMS', { reason: done.fallback?.reason, to: maskNumber(claimed.to), smsMessageId });
    this.opts.emit({ type: 'fallback_sent', message: done, smsMessageId });
  }

  /** Claims and sends every due fallback (timeouts, and claims whose holder died). */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.opts.repo.claimDue(this.now(), this.leaseMs, this.opts.sweepBatch ?? 100);
      await Promise.all(due.map((m) => this.run(m)));
      total += due.length;
      if (due.length < (this.opts.sweepBatch ?? 100) || this.stopped) return total;
    }
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.sweeping = this.sweep()
        .then(() => undefined)
        .catch((err) => this.opts.logger.warn('whatsapp fallback sweep failed', { err }))
        .finally(() => {
          this.sweeping = undefined;
          if (!this.stopped) this.sweepTimer = setTimeout(tick, this.opts.sweepIntervalMs ?? 5_000).unref();
        });
    };
    this.sweepTimer = setTimeout(tick, this.opts.sweepIntervalMs ?? 5_000).unref();
  }

  /** Stops timers and the sweeper, and waits for SMS sends in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.sweeping;
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Waits for SMS sends in flight (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  track(p: Promise<void>): void {
    const q = p.catch((err) => this.opts.logger.error('whatsapp fallback failed', { err })).finally(() => this.running.delete(q));
    this.running.add(q);
  }

  private async onTimeout(id: string): Promise<void> {
    const claimed = await this.opts.repo.claimTimedOut(id, this.now(), this.leaseMs);
    if (claimed) await this.run(claimed);
  }
}
