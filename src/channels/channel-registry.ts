/**
 * The live adapters of this process, one per enabled channel. Routing asks it which channels are
 * connected; workers get their adapter from it.
 */
import type { ChannelAdapter } from './channel-adapter.js';
import type { ChannelConfig } from '../routing/channel.repository.js';
import { SmppClientAdapter } from './smpp/smpp-client.adapter.js';
import type { Logger } from '../logging/logger.js';

export class ChannelRegistry {
  private adapters = new Map<string, ChannelAdapter>();

  constructor(private readonly logger: Logger) {}

  get(id: string): ChannelAdapter | undefined {
    return this.adapters.get(id);
  }

  all(): ChannelAdapter[] {
    return [...this.adapters.values()];
  }

  /** Without a local adapter (an api-only process) a channel counts as ready: the worker decides. */
  isReady(id: string): boolean {
    const a = this.adapters.get(id);
    return a ? a.isReady() : this.adapters.size === 0;
  }

  /** Creates and starts an adapter; a first bind failure is logged and the adapter keeps retrying. */
  async open(channel: ChannelConfig): Promise<ChannelAdapter> {
    const adapter = new SmppClientAdapter({
      id: channel.id,
      host: channel.host,
      port: channel.port,
      systemId: channel.systemId,
      password: channel.password,
      systemType: channel.systemType ?? undefined,
      window: channel.windowSize,
      submitsPerSecond: channel.submitsPerSecond,
      reconnect: { minMs: 500, maxMs: 30_000 },
      onWarning: (w) => this.logger.warn('smpp warning', { channel: channel.id, warning: JSON.stringify(w) }),
    });
    this.adapters.set(channel.id, adapter);
    try {
      await adapter.start();
      this.logger.info('channel bound', { channel: channel.id, host: channel.host, port: channel.port });
    } catch (err) {
      this.logger.warn('channel bind failed; retrying in the background', { channel: channel.id, err });
    }
    return adapter;
  }

  async close(id: string): Promise<void> {
    const a = this.adapters.get(id);
    this.adapters.delete(id);
    await a?.stop().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.all().map((a) => a.stop().catch(() => undefined)));
    this.adapters.clear();
  }
}
