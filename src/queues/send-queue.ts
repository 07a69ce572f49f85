/**
 * Producer side of the per-channel send queues. Each upstream connection has its own BullMQ queue
 * (a slow or throttled SMSC never blocks the others); jobs carry batches of up to 500 messages.
 *
 * Priority encodes both the category (otp > notification > marketing) and tenant fairness: a
 * job's priority within its category is the number of jobs its tenant already has waiting on that
 * queue, so tenants are served round-robin and one tenant's backlog of a million marketing
 * messages can't starve another tenant's first job.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Category } from '../accounts/account.js';
import type { OutboundJobMessage } from '../messages/message.js';

export const JOB_BATCH_SIZE = 500;
const CATEGORY_RANK: Record<Category, number> = { otp: 0, notification: 1, marketing: 2 };
// BullMQ priorities go up to 2^21; three categories × 600,000 fairness slots fit below that.
const FAIRNESS_SLOTS = 600_000;

export interface SendJobData {
  accountId: string;
  category: Category;
  messages: OutboundJobMessage[];
}

export const sendQueueName = (channelId: string) => `send-${channelId}`;
export const fairnessKey = (prefix: string, channelId: string, accountId: string) => `${prefix}:fair:${channelId}:${accountId}`;

export function jobPriority(category: Category, tenantPosition: number): number {
  return 1 + CATEGORY_RANK[category] * FAIRNESS_SLOTS + Math.min(Math.max(tenantPosition, 0), FAIRNESS_SLOTS - 1);
}

export class SendQueues {
  private queues = new Map<string, Queue<SendJobData>>();

  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  queue(channelId: string): Queue<SendJobData> {
    let q = this.queues.get(channelId);
    if (!q) {
      q = new Queue<SendJobData>(sendQueueName(channelId), { connection: this.redis, prefix: this.prefix });
      this.queues.set(channelId, q);
    }
    return q;
  }

  /** Adds the messages for one account and category to a channel's queue, in batches. */
  async enqueue(channelId: string, accountId: string, category: Category, messages: OutboundJobMessage[], delayMs = 0): Promise<void> {
    if (messages.length === 0) return;
    const chunks: OutboundJobMessage[][] = [];
    for (let i = 0; i < messages.length; i += JOB_BATCH_SIZE) chunks.push(messages.slice(i, i + JOB_BATCH_SIZE));
    const key = fairnessKey(this.prefix, channelId, accountId);
    const [[, after]] = (await this.redis.multi().incrby(key, chunks.length).expire(key, 86_400).exec()) as [[unknown, number]];
    const first = after - chunks.length;
    await this.queue(channelId).addBulk(
      chunks.map((c, i) => ({
        name: 'send',
        data: { accountId, category, messages: c },
        opts: { priority: jobPriority(category, first + i), delay: delayMs || undefined, removeOnComplete: true, removeOnFail: 1000 },
      })),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
