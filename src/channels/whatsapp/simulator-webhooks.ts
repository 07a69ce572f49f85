/**
 * SIMULATOR: the webhook side of the bundled WhatsApp simulator, as Meta behaves: before the first
 * delivery it verifies the callback URL with the GET handshake (hub.mode=subscribe,
 * hub.verify_token, hub.challenge echoed back), then POSTs each payload signed with
 * X-Hub-Signature-256, retrying a failed delivery with back-off.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logging/logger.js';
import { SIGNATURE_HEADER_256, signWebhook } from './webhook-signature.js';

export interface WebhookSenderOptions {
  appSecret: string;
  verifyToken: string;
  url?: string;
  /** Attempts after the first one. Default 5. */
  retries?: number;
  /** First retry delay, doubled each time. Default 500 ms. */
  retryDelayMs?: number;
  timeoutMs?: number;
  logger?: Logger;
}

export interface WebhookSenderStats {
  handshakes: number;
  handshakeFailures: number;
  delivered: number;
  failedAttempts: number;
  /** Payloads given up on (retries exhausted) or with no URL configured. */
  dropped: number;
}

export class WebhookSender {
  readonly stats: WebhookSenderStats = { handshakes: 0, handshakeFailures: 0, delivered: 0, failedAttempts: 0, dropped: 0 };
  private url: string | undefined;
  private verifiedUrl: string | undefined;
  /** One handshake at a time: concurrent first deliveries wait for the same one. */
  private handshaking: { url: string; done: Promise<void> } | undefined;
  private readonly inFlight = new Set<Promise<boolean>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(private readonly opts: WebhookSenderOptions) {
    this.url = opts.url;
  }

  setUrl(url: string): void {
    this.url = url;
  }

  /** Sends one payload (retrying in the background); resolves true once delivered. */
  send(payload: unknown): Promise<boolean> {
    const p = this.deliver(JSON.stringify(payload)).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  /** Resolves once every delivery started so far has finished or given up. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.stopped = true;
    // Sleeping retries wake up at once and give up, so idle() never hangs on a stopped sender.
    for (const [t, wake] of this.timers) {
      clearTimeout(t);
      wake();
    }
    this.timers.clear();
  }

  private async deliver(body: string): Promise<boolean> {
    const retries = this.opts.retries ?? 5;
    for (let attempt = 0; attempt <= retries && !this.stopped; attempt++) {
      if (attempt > 0) await this.sleep((this.opts.retryDelayMs ?? 500) * 2 ** (attempt - 1));
      const url = this.url;
      if (!url) break;
      try {
        if (this.verifiedUrl !== url) await this.verify(url);
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER_256]: signWebhook(this.opts.appSecret, body), 'user-agent': 'facebookexternalua (whatsapp simulator)' },
          body,
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.stats.delivered++;
          return true;
        }
        throw new Error(`webhook answered HTTP ${res.status}`);
      } catch (err) {
        this.stats.failedAttempts++;
        this.opts.logger?.warn('simulator webhook delivery failed', { attempt, err: err instanceof Error ? err.message : String(err) });
      }
    }
    this.stats.dropped++;
    return false;
  }

  private verify(url: string): Promise<void> {
    if (this.handshaking?.url !== url) {
      const done = this.handshake(url).finally(() => {
        if (this.handshaking?.done === done) this.handshaking = undefined;
      });
      this.handshaking = { url, done };
    }
    return this.handshaking.done;
  }

  /** Meta's verification request: the endpoint must echo hub.challenge when the token matches. */
  private async handshake(url: string): Promise<void> {
    const challenge = randomBytes(8).readUInt32BE(0).toString();
    const u = new URL(url);
    u.searchParams.set('hub.mode', 'subscribe');
    u.searchParams.set('hub.verify_token', this.opts.verifyToken);
    u.searchParams.set('hub.challenge', challenge);
    const res = await fetch(u, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5_000) });
    const text = await res.text();
    if (!res.ok || text !== challenge) {
      this.stats.handshakeFailures++;
      throw new Error(`webhook verification failed: HTTP ${res.status}`);
    }
    this.stats.handshakes++;
    this.verifiedUrl = url;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }
}
