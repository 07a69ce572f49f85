/**
 * Consumer of one channel's send queue: submits each job's batch through that channel's adapter
 * (whose window keeps the bind full), records the outcomes, and moves failures on to the next
 * channel of their route.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ChannelAdapter, SubmitOutcome } from '../channels/channel-adapter.js';
import { ChannelError } from '../channels/channel-adapter.js';
import type { ChannelConfig } from '../routing/channel.repository.js';
import type { SubmitRecorder } from '../messages/submit-recorder.js';
import type { SubmitClaims } from './submit-claims.js';
import type { HandoffMarkers } from './handoff-markers.js';
import type { OutboundJobMessage } from '../messages/message.js';
import type { Logger } from '../logging/logger.js';
import { fairnessKey, sendQueueName, type SendJobData, type SendQueues } from './send-queue.js';

export interface SendWorkerDeps {
  channel: ChannelConfig;
  adapter: ChannelAdapter;
  /** BullMQ workers need a connection with maxRetriesPerRequest: null. */
  connection: Redis;
  prefix: string;
  recorder: SubmitRecorder;
  claims: SubmitClaims;
  handoffs: HandoffMarkers;
  queues: SendQueues;
  logger: Logger;
  /** Jobs in flight at once; many, so small OTP jobs never wait behind a big batch job. */
  concurrency?: number;
  /**
   * Messages claimed and not yet recorded, across this worker's jobs. A few windows' worth keeps
   * the bind busy; more only holds memory (and GC time) while waiting for the window.
   */
  maxMessagesInFlight?: number;
}

/** Counts messages in flight; a job waits for room before claiming its messages. */
class MessageBudget {
  private used = 0;
  private waiters: Array<{ n: number; go: () => void }> = [];

  constructor(private readonly limit: number) {}

  async take(n: number): Promise<void> {
    const want = Math.min(n, this.limit);
    if (this.used + want <= this.limit && this.waiters.length === 0) {
      this.used += want;
      return;
    }
    await new Promise<void>((go) => this.waiters.push({ n: want, go }));
  }

  give(n: number): void {
    this.used -= Math.min(n, this.limit);
    while (this.waiters.length && this.used + this.waiters[0].n <= this.limit) {
      const w = this.waiters.shift()!;
      this.used += w.n;
      w.go();
    }
  }
}

/** Domestic traffic goes out from the channel's access code + the account's extension (码号 + 子端口). */
export function sourceAddress(channel: ChannelConfig, m: OutboundJobMessage): string {
  if (m.sender) return m.sender;
  return `${channel.sourceAddress ?? ''}${m.extension ?? ''}` || channel.systemId;
}

export function startSendWorker(deps: SendWorkerDeps): Worker<SendJobData> {
  const { channel, adapter } = deps;
  const unavailable = new ChannelError('CHANNEL_UNAVAILABLE', `Channel ${channel.id} is not connected`, true);
  const budget = new MessageBudget(deps.maxMessagesInFlight ?? 2_000);
  const process = async (job: Job<SendJobData>) => {
    const { accountId, category } = job.data;
    await budget.take(job.data.messages.length);
    try {
      const claimed = await deps.claims.claim(job.data.messages);
      const messages = job.data.messages.filter((m) => claimed.has(m.id));
      if (messages.length === 0) return;
      const outcomes: SubmitOutcome[] = adapter.isReady()
        ? await Promise.all(messages.map((m) =>
            adapter.submit({ messageId: m.id, from: sourceAddress(channel, m), to: m.to, parts: m.parts, encoding: m.encoding, requestReceipt: true })))
        : messages.map(() => ({ ok: false as const, error: unavailable, upstreamIds: [] }));
      const retries = await deps.recorder.record(channel.id, messages, outcomes);
      const groups = new Map<string, { channelId: string; delayMs: number; messages: OutboundJobMessage[] }>();
      for (const r of retries) {
        const key = `${r.channelId}|${r.delayMs}`;
        const g = groups.get(key) ?? { channelId: r.channelId, delayMs: r.delayMs, messages: [] };
        g.messages.push(r.message);
        groups.set(key, g);
      }
      for (const g of groups.values()) await deps.queues.enqueue(g.channelId, accountId, category, g.messages, g.delayMs);
      await deps.handoffs.clear(retries.map((r) => r.message.id));
    } finally {
      budget.give(job.data.messages.length);
      await deps.connection.decr(fairnessKey(deps.prefix, channel.id, accountId));
    }
  };
  const worker = new Worker<SendJobData>(sendQueueName(channel.id), process, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 32,
  });
  worker.on('failed', (job, err) => deps.logger.error('send job failed', { channel: channel.id, job: job?.id, err }));
  return worker;
}
