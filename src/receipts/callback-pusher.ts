/**
 * Pushes pending reports to customers' callback URLs, signed, in JSON batches, at each account's
 * own rate (callbackRatePerS, a token bucket per account).
 *
 * Tenant isolation: every account is drained by its own task, least recently served first, and an
 * account whose previous drain is still running (slow endpoint) is skipped rather than waited for, so
 * one tenant's backlog or dead endpoint never delays another tenant's reports.
 *
 * Delivery is at least once: reports are leased before sending (see ReportRepository.claimDue), so
 * several processes can run pushers on one database without sending a report twice, and a crash
 * mid-send only means a resend after the lease. Customers dedupe by `reportId`.
 */
import type { Db } from '../db/db-client.js';
import type { Logger } from '../logging/logger.js';
import { SIGNATURE_HEADER, signCallback } from './callback-signer.js';
import { ReportRepository, toWireReport, type ClaimedReport, type DueAccount } from './report.repository.js';

export interface CallbackPusherOptions {
  db: Db;
  logger: Logger;
  /** Reports per HTTP request. Default 500. */
  batchSize?: number;
  /** Delay before retrying a failed push. Default 5 minutes. */
  retryIntervalMs?: number;
  /** A report still failing this long after it was created is marked dead. Default 24 h. */
  giveUpAfterMs?: number;
  /** Per-request timeout. Default 5 s. */
  timeoutMs?: number;
  /** Pause between ticks when started. Default 50 ms. */
  tickMs?: number;
  /** Clock for the token buckets, leases and retry times (tests inject a fake one). */
  now?: () => Date;
  /** Upper bound of requests per account per tick, so one drain stays short. Default 50. */
  maxBatchesPerAccountPerTick?: number;
  /** Accounts drained at the same time. Default 32. */
  maxConcurrentAccounts?: number;
  fetch?: typeof fetch;
}

/** What one tick did (summed over the accounts it drained). */
export interface TickResult {
  accounts: number;
  requests: number;
  delivered: number;
  retried: number;
  dead: number;
}

const emptyResult = (): TickResult => ({ accounts: 0, requests: 0, delivered: 0, retried: 0, dead: 0 });

/** Classic token bucket: `ratePerS` tokens per second, holding at most one second's worth. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private ratePerS: number, private readonly nowMs: () => number) {
    this.tokens = this.capacity();
    this.last = nowMs();
  }

  private capacity(): number {
    return Math.max(this.ratePerS, 0);
  }

  private refill(): void {
    const now = this.nowMs();
    if (now > this.last) {
      this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.last) / 1000) * this.ratePerS);
      this.last = now;
    }
  }

  setRate(ratePerS: number): void {
    if (ratePerS === this.ratePerS) return;
    this.refill();
    this.ratePerS = ratePerS;
    this.tokens = Math.min(this.tokens, this.capacity());
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  take(n: number): void {
    this.refill();
    this.tokens -= n;
  }
}

type PostOutcome = { ok: true } | { ok: false; error: string };

export class CallbackPusher {
  private readonly repo: ReportRepository;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly retryIntervalMs: number;
  private readonly giveUpAfterMs: number;
  private readonly timeoutMs: number;
  private readonly tickMs: number;
  private readonly maxBatches: number;
  private readonly maxConcurrent: number;
  private readonly now: () => Date;
  private readonly fetchImpl: typeof fetch;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly inFlight = new Map<string, Promise<TickResult>>();
  private readonly lastServed = new Map<string, number>();
  private serveCounter = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopping = false;

  constructor(opts: CallbackPusherOptions) {
    this.repo = new ReportRepository(opts.db);
    this.logger = opts.logger.child({ component: 'callback-pusher' });
    this.batchSize = opts.batchSize ?? 500;
    this.retryIntervalMs = opts.retryIntervalMs ?? 5 * 60_000;
    this.giveUpAfterMs = opts.giveUpAfterMs ?? 24 * 3_600_000;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.tickMs = opts.tickMs ?? 50;
    this.maxBatches = opts.maxBatchesPerAccountPerTick ?? 50;
    this.maxConcurrent = opts.maxConcurrentAccounts ?? 32;
    this.now = opts.now ?? (() => new Date());
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** Runs ticks every tickMs until stop(). Drains run in the background, one per account. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    const loop = async () => {
      if (!this.running) return;
      try {
        await this.dispatch();
      } catch (err) {
        this.logger.error('callback dispatch failed', { err: err instanceof Error ? err : String(err) });
      }
      if (this.running) this.timer = setTimeout(loop, this.tickMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stops ticking and waits for the drains under way, so no lease is left half-sent. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight.values()]);
    this.stopping = false;
  }

  /** One round: starts a drain for every due account (within the concurrency cap) and waits for them. */
  async tick(): Promise<TickResult> {
    const drains = await this.dispatch();
    const total = emptyResult();
    for (const r of await Promise.all(drains)) {
      total.accounts += r.accounts;
      total.requests += r.requests;
      total.delivered += r.delivered;
      total.retried += r.retried;
      total.dead += r.dead;
    }
    return total;
  }

  private async dispatch(): Promise<Promise<TickResult>[]> {
    const due = await this.repo.dueAccounts(this.now());
    const idle = due
      .filter((a) => !this.inFlight.has(a.accountId))
      .sort((x, y) => (this.lastServed.get(x.accountId) ?? -1) - (this.lastServed.get(y.accountId) ?? -1));
    const slots = Math.max(0, this.maxConcurrent - this.inFlight.size);
    return idle.slice(0, slots).map((account) => {
      this.lastServed.set(account.accountId, ++this.serveCounter);
      const drain = this.drainAccount(account)
        .catch((err): TickResult => {
          this.logger.error('callback drain failed', { accountId: account.accountId, err: err instanceof Error ? err : String(err) });
          return emptyResult();
        })
        .finally(() => this.inFlight.delete(account.accountId));
      this.inFlight.set(account.accountId, drain);
      return drain;
    });
  }

  private bucketFor(account: DueAccount): TokenBucket {
    let bucket = this.buckets.get(account.accountId);
    if (!bucket) {
      bucket = new TokenBucket(account.callbackRatePerS, () => this.now().getTime());
      this.buckets.set(account.accountId, bucket);
    } else {
      bucket.setRate(account.callbackRatePerS);
    }
    return bucket;
  }

  private async drainAccount(account: DueAccount): Promise<TickResult> {
    const result = emptyResult();
    result.accounts = 1;
    const bucket = this.bucketFor(account);
    // The lease must outlast one claim's requests (sent in parallel, each bounded by timeoutMs).
    const leaseMs = Math.max(this.retryIntervalMs, 2 * this.timeoutMs + 10_000);
    // On stop, finish the request under way but claim nothing new.
    for (let batch = 0; batch < this.maxBatches && !this.stopping; batch++) {
      const want = Math.min(this.batchSize, Math.floor(bucket.available()));
      if (want < 1) break;
      const claimed = await this.repo.claimDue(account.accountId, want, { now: this.now(), leaseMs });
      if (claimed.length === 0) break;
      bucket.take(claimed.length);
      const byUrl = new Map<string, ClaimedReport[]>();
      for (const r of claimed) byUrl.set(r.targetUrl, [...(byUrl.get(r.targetUrl) ?? []), r]);
      const outcomes = await Promise.all(
        [...byUrl].map(async ([url, reports]) => ({ url, reports, outcome: await this.post(url, account.callbackSecret, reports) })),
      );
      let failed = false;
      for (const { url, reports, outcome } of outcomes) {
        result.requests++;
        if (outcome.ok) {
          result.delivered += await this.repo.markDelivered(reports.map((r) => r.id));
          continue;
        }
        failed = true;
        const counts = await this.recordFailure(reports, outcome.error);
        result.retried += counts.retried;
        result.dead += counts.dead;
        this.logger.warn('callback push failed', {
          accountId: account.accountId, host: safeHost(url), error: outcome.error, reports: reports.length, ...counts,
        });
      }
      // A failing endpoint gets no more requests this tick; the rest wait for their retry time.
      if (failed) break;
    }
    return result;
  }

  private async recordFailure(reports: ClaimedReport[], error: string): Promise<{ retried: number; dead: number }> {
    const now = this.now().getTime();
    const nextAttemptAt = new Date(now + this.retryIntervalMs);
    const retry: number[] = [];
    const dead: number[] = [];
    for (const r of reports) {
      if (nextAttemptAt.getTime() > r.createdAt.getTime() + this.giveUpAfterMs) dead.push(r.id);
      else retry.push(r.id);
    }
    const retried = await this.repo.markFailed(retry, error, nextAttemptAt);
    const markedDead = await this.repo.markDead(dead, `gave up after ${Math.round(this.giveUpAfterMs / 60_000)} min: ${error}`);
    return { retried, dead: markedDead };
  }

  private async post(url: string, secret: string, reports: ClaimedReport[]): Promise<PostOutcome> {
    const body = JSON.stringify({ reports: reports.map(toWireReport) });
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: signCallback(secret, body, this.now().getTime()),
          'User-Agent': 'sms-platform-callbacks/1',
        },
        body,
        // A redirect would re-send a signed body somewhere the customer did not configure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Read (and drop) the body so the connection can be reused; the timeout still bounds it.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true };
      return { ok: false, error: `HTTP ${res.status}` };
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        return { ok: false, error: `timeout after ${this.timeoutMs} ms` };
      }
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { ok: false, error: `${err instanceof Error ? err.message : String(err)}${cause}` };
    }
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
