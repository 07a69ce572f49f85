/**
 * Records clicks from the redirect path without making it wait: a click is appended to an
 * in-memory buffer and answered at once; the buffer goes to the Redis stream as one XADD every
 * FLUSH_MS (or as soon as MAX_PER_ENTRY clicks wait). One command, and one entry for the
 * aggregator to store, per batch instead of per click is what keeps the redirect within reach of a
 * bare HTTP server.
 *
 * Durability: once XADD succeeds the click survives any worker restart (the aggregator's consumer
 * group). Before that it lives only in this process: a crash loses at most the last FLUSH_MS of
 * clicks, and a Redis outage keeps them here (up to MAX_BUFFERED, retried with backoff).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { ClickEvent } from './click-event.js';

export const MAX_PER_ENTRY = 1_000;
/** How long a click may wait for company before it goes to Redis. */
const FLUSH_MS = 5;
const MAX_BUFFERED = 500_000;
const RETRY_MS = [100, 250, 500, 1_000, 2_000, 5_000];

export interface ClickSink {
  record(event: ClickEvent): void;
}

export class ClickRecorder implements ClickSink {
  /** Serialised events waiting for the next XADD. */
  private buffer: string[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private dropped = 0;

  constructor(private readonly opts: { redis: Redis; streamKey: string; logger: Logger }) {}

  record(event: ClickEvent): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      // Redis has been unreachable for long: keep memory bounded, and say how much was lost.
      this.buffer.shift();
      if (this.dropped++ % 10_000 === 0) this.opts.logger.error('click buffer full: oldest clicks dropped', { dropped: this.dropped });
    }
    this.buffer.push(JSON.stringify(event));
    if (this.buffer.length >= MAX_PER_ENTRY) void this.flush();
    else if (!this.scheduled && !this.retryTimer) {
      this.scheduled = true;
      setTimeout(() => void this.flush(), FLUSH_MS);
    }
  }

  /** Sends everything buffered; resolves when Redis has it (or the attempt failed and is rescheduled). */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.flushing) return this.flushing.then(() => (this.buffer.length ? this.flush() : undefined));
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.send(batch).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async send(batch: string[]): Promise<void> {
    const chunks: string[][] = [];
    for (let i = 0; i < batch.length; i += MAX_PER_ENTRY) chunks.push(batch.slice(i, i + MAX_PER_ENTRY));
    const pipeline = this.opts.redis.pipeline();
    for (const chunk of chunks) pipeline.xadd(this.opts.streamKey, '*', 'c', `[${chunk.join(',')}]`);
    let unsent: string[] = [];
    let error: unknown;
    try {
      // Each XADD stands alone: only the chunks Redis refused go back in line (re-adding one it
      // took would count its clicks twice).
      const results = (await pipeline.exec()) ?? [];
      chunks.forEach((chunk, i) => {
        const err = results[i]?.[0] ?? (results[i] ? null : new Error('no reply'));
        if (err) (unsent = unsent.concat(chunk)), (error = err);
      });
    } catch (err) {
      unsent = batch;
      error = err;
    }
    if (!unsent.length) {
      this.failures = 0;
      return;
    }
    this.buffer = unsent.concat(this.buffer);
    const delay = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)];
    this.opts.logger.warn('click recording to Redis failed; retrying', { err: (error as Error)?.message, buffered: this.buffer.length, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, delay);
    this.retryTimer.unref();
  }

  /** Flushes what is buffered (one attempt) before the process stops. */
  async stop(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.flush();
    if (this.buffer.length) this.opts.logger.error('clicks not recorded at shutdown (Redis unreachable)', { count: this.buffer.length });
  }
}
