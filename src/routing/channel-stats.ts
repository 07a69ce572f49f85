/**
 * Recent delivery statistics per channel, for adaptive routing weights (adaptive-weights.ts).
 * Each worker process counts what it submits and the receipts it gets over a sliding hour of
 * one-minute buckets and publishes a snapshot to Redis every few seconds; routers (in any
 * process) read and sum the snapshots of all workers.
 */
import type { Redis } from 'ioredis';
import type { ChannelStats } from './adaptive-weights.js';

const BUCKETS = 60;
const LATENCY_SAMPLES_PER_BUCKET = 200;
/** Snapshots older than this are from a worker that stopped: ignored. */
const STALE_AFTER_MS = 120_000;

interface Bucket {
  minute: number;
  sent: number;
  delivered: number;
  failed: number;
  latencies: number[];
}

export type RecentStats = Omit<ChannelStats, 'ageHours'>;

export class ChannelStatsTracker {
  private channels = new Map<string, Bucket[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private bucket(channelId: string): Bucket {
    const minute = Math.floor(this.now() / 60_000);
    let ring = this.channels.get(channelId);
    if (!ring) this.channels.set(channelId, (ring = []));
    let b = ring[minute % BUCKETS];
    if (!b || b.minute !== minute) ring[minute % BUCKETS] = b = { minute, sent: 0, delivered: 0, failed: 0, latencies: [] };
    return b;
  }

  recordSubmitted(channelId: string, count: number): void {
    if (count > 0) this.bucket(channelId).sent += count;
  }

  recordReceipt(channelId: string, delivered: boolean, latencyMs: number): void {
    const b = this.bucket(channelId);
    if (delivered) b.delivered++;
    else b.failed++;
    // Reservoir sampling keeps the median honest without storing every latency.
    const seen = b.delivered + b.failed;
    if (b.latencies.length < LATENCY_SAMPLES_PER_BUCKET) b.latencies.push(latencyMs);
    else {
      const j = Math.floor(Math.random() * seen);
      if (j < LATENCY_SAMPLES_PER_BUCKET) b.latencies[j] = latencyMs;
    }
  }

  /** The last hour per channel. */
  snapshot(): Map<string, RecentStats> {
    const oldest = Math.floor(this.now() / 60_000) - BUCKETS + 1;
    const out = new Map<string, RecentStats>();
    for (const [channelId, ring] of this.channels) {
      const live = ring.filter((b) => b && b.minute >= oldest);
      const latencies = live.flatMap((b) => b.latencies).sort((a, b) => a - b);
      out.set(channelId, {
        sent: live.reduce((s, b) => s + b.sent, 0),
        delivered: live.reduce((s, b) => s + b.delivered, 0),
        failed: live.reduce((s, b) => s + b.failed, 0),
        p50LatencyMs: latencies.length ? latencies[Math.floor(latencies.length / 2)] : 0,
      });
    }
    return out;
  }
}

/** Shares snapshots between processes through one Redis hash (field = channel|process). */
export class ChannelStatsExchange {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string, private readonly processId: string) {
    this.key = `${prefix}:chstats`;
  }

  async publish(snapshot: Map<string, RecentStats>): Promise<void> {
    if (snapshot.size === 0) return;
    const at = Date.now();
    const fields: string[] = [];
    for (const [channelId, s] of snapshot) fields.push(`${channelId}|${this.processId}`, JSON.stringify({ ...s, at }));
    await this.redis.hset(this.key, ...fields);
  }

  /** Sums every fresh worker snapshot per channel (latency: weighted by each worker's volume). */
  async read(): Promise<Map<string, RecentStats>> {
    const all = await this.redis.hgetall(this.key);
    const sums = new Map<string, RecentStats & { weight: number }>();
    const stale: string[] = [];
    for (const [field, json] of Object.entries(all)) {
      const s = JSON.parse(json) as RecentStats & { at: number };
      if (Date.now() - s.at > STALE_AFTER_MS) {
        stale.push(field);
        continue;
      }
      const channelId = field.slice(0, field.lastIndexOf('|'));
      const acc = sums.get(channelId) ?? { sent: 0, delivered: 0, failed: 0, p50LatencyMs: 0, weight: 0 };
      const w = s.delivered + s.failed;
      acc.p50LatencyMs = acc.weight + w > 0 ? (acc.p50LatencyMs * acc.weight + s.p50LatencyMs * w) / (acc.weight + w) : 0;
      acc.sent += s.sent;
      acc.delivered += s.delivered;
      acc.failed += s.failed;
      acc.weight += w;
      sums.set(channelId, acc);
    }
    if (stale.length) await this.redis.hdel(this.key, ...stale);
    return new Map([...sums].map(([id, { weight: _w, ...s }]) => [id, s]));
  }
}
