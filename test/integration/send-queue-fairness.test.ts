import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SendQueues, sendQueueName, type SendJobData } from '../../src/queues/send-queue.js';
import type { OutboundJobMessage } from '../../src/messages/message.js';

const message = (id: string, accountId: string): OutboundJobMessage => ({
  id, accountId, to: '+8613800138000', sender: null, extension: null, parts: ['x'], encoding: 'gsm7',
  attempt: 1, fallbacks: [], category: 'marketing', callbackUrl: null,
});

describe('send queue fairness on real Redis', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `tfair${randomBytes(4).toString('hex')}`;
  const queues = new SendQueues(redis, prefix);
  afterAll(async () => {
    await queues.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('when one tenant queued 20 jobs before another tenant\'s one, then the newcomer is served second, and an OTP job first', async () => {
    for (let i = 0; i < 20; i++) await queues.enqueue('ch1', 'big-tenant', 'marketing', [message(`b${i}`, 'big-tenant')]);
    await queues.enqueue('ch1', 'small-tenant', 'marketing', [message('s0', 'small-tenant')]);
    await queues.enqueue('ch1', 'small-tenant', 'otp', [{ ...message('o0', 'small-tenant'), category: 'otp' }]);

    const order: string[] = [];
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const worker = new Worker<SendJobData>(sendQueueName('ch1'), async (job) => {
      order.push(job.data.messages[0].id);
      if (order.length === 22) finish();
    }, { connection: redis, prefix, concurrency: 1 });
    await done;
    await worker.close();
    expect(order[0]).toBe('o0');
    expect(order.indexOf('s0')).toBeLessThanOrEqual(2);
    expect(order.filter((id) => id.startsWith('b'))).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`));
  });
});
