/**
 * Number capabilities with a cache: one MGET for a whole batch, the misses asked of the MaaP in
 * calls of at most 100 numbers (in parallel), the answers stored with an expiry in one pipeline.
 * Redis, not PostgreSQL: a capability is a short-lived copy of the MaaP's answer, shared by every
 * process, that expires on its own (handsets change); losing it costs only a re-query.
 * Unknown answers (terminal unreachable) are kept briefly, the others for the full TTL.
 */
import type { Redis } from 'ioredis';
import { MAAP_CAPABILITIES, MAAP_MAX_CAPABILITY_BATCH, type MaapCapability } from './maap-api.js';

export interface RcsCapabilitiesOptions {
  redis: Redis;
  prefix: string;
  query: (chatbotAddress: string, numbers: readonly string[]) => Promise<Map<string, MaapCapability>>;
  ttlSeconds: number;
  unknownTtlSeconds: number;
}

export class RcsCapabilities {
  constructor(private readonly opts: RcsCapabilitiesOptions) {}

  private key(e164: string): string {
    return `${this.opts.prefix}:rcs:cap:${e164}`;
  }

  /**
   * Capability of each E.164 number (duplicates asked once). Numbers the MaaP left out of its answer
   * come back Unknown and are not cached. @throws when the MaaP cannot be asked.
   */
  async query(chatbotAddress: string, numbers: readonly string[]): Promise<Map<string, MaapCapability>> {
    const unique = [...new Set(numbers)];
    const out = new Map<string, MaapCapability>();
    if (unique.length === 0) return out;
    const cached = await this.opts.redis.mget(unique.map((n) => this.key(n)));
    const misses: string[] = [];
    unique.forEach((n, i) => {
      const c = cached[i];
      if (c && (MAAP_CAPABILITIES as readonly string[]).includes(c)) out.set(n, c as MaapCapability);
      else misses.push(n);
    });
    if (misses.length === 0) return out;
    const batches: string[][] = [];
    for (let i = 0; i < misses.length; i += MAAP_MAX_CAPABILITY_BATCH) batches.push(misses.slice(i, i + MAAP_MAX_CAPABILITY_BATCH));
    const answers = await Promise.all(batches.map((b) => this.opts.query(chatbotAddress, b)));
    const store = this.opts.redis.pipeline();
    for (const n of misses) {
      const c = answers.find((a) => a.has(n))?.get(n);
      out.set(n, c ?? 'Unknown');
      if (c) store.set(this.key(n), c, 'EX', c === 'Unknown' ? this.opts.unknownTtlSeconds : this.opts.ttlSeconds);
    }
    await store.exec();
    return out;
  }
}
