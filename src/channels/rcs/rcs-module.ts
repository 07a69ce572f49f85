/**
 * Builds the 5G channel's parts from the platform's shared pieces (composition root helper, so
 * src/platform.ts stays a list of modules): MaaP adapter, capability cache, chatbots, keyword
 * rules, sends and notifications, inbound handling, the API use cases and the FallbackChannel.
 */
import type { Redis } from 'ioredis';
import type { RcsConfig } from '../../config.js';
import type { Db } from '../../db/db-client.js';
import type { Logger } from '../../logging/logger.js';
import type { CardTemplateService } from '../../cards/card-template.service.js';
import type { CardRendererRegistry } from '../../cards/render/card-renderer.js';
import type { RcsCardRenderer } from '../../cards/render/rcs-card-renderer.js';
import { MaapAdapter } from './maap.adapter.js';
import { ChatbotRepository } from './chatbot.repository.js';
import { ChatbotService } from './chatbot.service.js';
import { KeywordRuleRepository } from './keyword-rule.repository.js';
import { RcsCapabilities } from './rcs-capabilities.js';
import { RcsService } from './rcs.service.js';
import { RcsInbound } from './rcs-inbound.js';
import { RcsInboundRepository } from './rcs-inbound.repository.js';
import { RcsApi } from './rcs-api.js';
import { RcsFallbackChannel } from './rcs-fallback-channel.js';

export interface RcsModuleDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  config: RcsConfig;
  logger: Logger;
  cards: CardTemplateService;
  renderers: CardRendererRegistry;
  /** The MaaP base URL: the configured one, else the bundled simulator's (known after start). */
  baseUrl: () => string;
  /** Origin that makes uploaded card media absolute for handsets. */
  mediaBaseUrl: () => string;
}

export interface RcsModule {
  chatbots: ChatbotService;
  rules: KeywordRuleRepository;
  service: RcsService;
  api: RcsApi;
  capabilities: RcsCapabilities;
  /** The 5G channel for the fallback engine (register it with the engine). */
  fallbackChannel: RcsFallbackChannel;
}

export function createRcsModule(d: RcsModuleDeps): RcsModule {
  const adapter = new MaapAdapter({ baseUrl: d.baseUrl, token: d.config.token, timeoutMs: d.config.timeoutMs });
  const renderer = d.renderers.get('rcs') as RcsCardRenderer;
  const chatbotRepo = new ChatbotRepository(d.db);
  const chatbots = new ChatbotService({ repo: chatbotRepo, addressDomain: d.config.chatbotDomain });
  const rules = new KeywordRuleRepository(d.db);
  const capabilities = new RcsCapabilities({
    redis: d.redis, prefix: d.redisPrefix, query: (address, numbers) => adapter.capabilities(address, numbers),
    ttlSeconds: d.config.capabilityTtlSeconds, unknownTtlSeconds: d.config.capabilityUnknownTtlSeconds,
  });
  // The inbound handler sends replies through the service, which hands it user messages: late-bound.
  let inbound: RcsInbound | undefined;
  const service = new RcsService({ db: d.db, adapter, logger: d.logger, onInbound: (e) => inbound!.handle(e) });
  const api = new RcsApi({ chatbots, rules, service, capabilities, cards: d.cards, renderer, mediaBaseUrl: d.mediaBaseUrl });
  inbound = new RcsInbound({
    chatbots: chatbotRepo, rules, inbound: new RcsInboundRepository(d.db), logger: d.logger,
    send: (req) => service.send(req),
    cardMessage: (accountId, templateId, variables) => api.cardMessage(accountId, templateId, variables),
  });
  const fallbackChannel = new RcsFallbackChannel({ chatbots, capabilities, service, renderer, mediaBaseUrl: d.mediaBaseUrl });
  return { chatbots, rules, service, api, capabilities, fallbackChannel };
}
