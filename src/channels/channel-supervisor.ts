/**
 * Keeps this worker process's channels in line with the channel table: opens an adapter and a send
 * worker for each enabled channel, re-opens one whose connection settings changed, closes one that
 * was disabled or removed. Runs at start, after an admin change in this process, and periodically
 * so that changes made through another process (or the simulator registering itself) arrive too.
 */
import type { Worker } from 'bullmq';
import type { ChannelConfig, ChannelRepository } from '../routing/channel.repository.js';
import type { Logger } from '../logging/logger.js';
import type { ChannelAdapter } from './channel-adapter.js';
import type { ChannelRegistry } from './channel-registry.js';

export interface ChannelSupervisorDeps {
  channels: ChannelRepository;
  registry: ChannelRegistry;
  logger: Logger;
  /** Wires receipts and MO of a freshly opened adapter. */
  onOpen: (channel: ChannelConfig, adapter: ChannelAdapter) => void;
  startWorker: (channel: ChannelConfig, adapter: ChannelAdapter) => Worker;
  intervalMs?: number;
}

const connectionKey = (c: ChannelConfig) =>
  JSON.stringify([c.host, c.port, c.systemId, c.password, c.systemType, c.sourceAddress, c.windowSize, c.submitsPerSecond]);

export class ChannelSupervisor {
  private open = new Map<string, { key: string; worker: Worker }>();
  private timer?: NodeJS.Timeout;
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ChannelSupervisorDeps) {}

  start(): void {
    const loop = () => {
      this.timer = setTimeout(() => void this.sync().finally(loop), this.deps.intervalMs ?? 10_000);
      this.timer.unref();
    };
    loop();
  }

  /** Serialised: two overlapping syncs would open the same channel twice. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncOnce()).catch((err) => this.deps.logger.error('channel sync failed', { err }));
    return this.syncing;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.syncing;
    await Promise.all([...this.open.values()].map((o) => o.worker.close()));
    this.open.clear();
    await this.deps.registry.closeAll();
  }

  private async syncOnce(): Promise<void> {
    const wanted = new Map((await this.deps.channels.list()).filter((c) => c.enabled).map((c) => [c.id, c]));
    for (const [id, o] of this.open) {
      const c = wanted.get(id);
      if (c && connectionKey(c) === o.key) continue;
      await o.worker.close();
      await this.deps.registry.close(id);
      this.open.delete(id);
      this.deps.logger.info('channel closed', { channel: id, reason: c ? 'settings changed' : 'disabled or removed' });
    }
    for (const [id, c] of wanted) {
      if (this.open.has(id)) continue;
      const adapter = await this.deps.registry.open(c);
      this.deps.onOpen(c, adapter);
      this.open.set(id, { key: connectionKey(c), worker: this.deps.startWorker(c, adapter) });
    }
  }
}
