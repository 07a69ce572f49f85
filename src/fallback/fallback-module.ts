/**
 * Builds the fallback engine with every channel it can step through, the reader of step SMS
 * statuses, and the send service the routes call. The MMS channel is added when present.
 */
import type { AccountRepository } from '../accounts/account.repository.js';
import type { SignatureRepository } from '../accounts/signature.repository.js';
import type { CardTemplateService } from '../cards/card-template.service.js';
import type { CardRendererRegistry } from '../cards/render/card-renderer.js';
import type { SmartSmsService } from '../channels/smart-sms/smart-sms.service.js';
import type { WhatsAppService } from '../channels/whatsapp/whatsapp.service.js';
import type { KeywordMatcher } from '../content/keywords.js';
import type { Db } from '../db/db-client.js';
import type { LinkService } from '../links/link.service.js';
import type { Logger } from '../logging/logger.js';
import type { AcceptDeps } from '../messages/accept-messages.js';
import type { MessageRepository } from '../messages/message.repository.js';
import { InternalReportRepository } from '../receipts/internal-report.repository.js';
import { SmartSmsFallbackChannel } from './channels/smart-sms-fallback-channel.js';
import { SmsFallbackChannel } from './channels/sms-fallback-channel.js';
import { SmsStepSender } from './channels/sms-step-sender.js';
import { SmsStepStatuses } from './channels/sms-step-statuses.js';
import { WhatsAppFallbackChannel } from './channels/whatsapp-fallback-channel.js';
import type { FallbackChannel } from './fallback-channel.js';
import { FallbackEngine, type FallbackEngineOptions } from './fallback-engine.js';
import { FallbackSendService, type FallbackSendDeps } from './fallback-send.service.js';
import { FallbackRepository } from './fallback.repository.js';

export interface FallbackModuleDeps {
  db: Db;
  logger: Logger;
  accept: AcceptDeps;
  accounts: AccountRepository;
  signatures: SignatureRepository;
  keywords: KeywordMatcher;
  messages: MessageRepository;
  cards: CardTemplateService;
  renderers: CardRendererRegistry;
  links: LinkService;
  smartSms: SmartSmsService;
  whatsapp: WhatsAppService;
  /** Channels built elsewhere (rcs, mms). */
  channels: FallbackChannel[];
  mmsText?: FallbackSendDeps['mmsText'];
  engine?: Partial<Pick<FallbackEngineOptions, 'leaseMs' | 'graceMs' | 'sweepIntervalMs' | 'onDecision'>>;
  smartSmsReviewWaitMs?: number;
}

export interface FallbackModule {
  engine: FallbackEngine;
  repo: FallbackRepository;
  sends: FallbackSendService;
  smsStatuses: SmsStepStatuses;
  /** Worker role: the sweeper and the step SMS status reader. */
  start(): void;
  stop(): Promise<void>;
}

export function createFallbackModule(deps: FallbackModuleDeps): FallbackModule {
  const repo = new FallbackRepository(deps.db);
  const sender = new SmsStepSender({ ...deps.accept, accounts: deps.accounts, signatures: deps.signatures, keywords: deps.keywords });
  const smsStatuses = new SmsStepStatuses({ reports: new InternalReportRepository(deps.db, 'chain'), logger: deps.logger });
  const engine = new FallbackEngine({
    repo, logger: deps.logger, ...deps.engine,
    channels: [
      ...deps.channels,
      new SmartSmsFallbackChannel({ sender, smartSms: deps.smartSms, messages: deps.messages, renderers: deps.renderers, logger: deps.logger, reviewWaitMs: deps.smartSmsReviewWaitMs }),
      new WhatsAppFallbackChannel({ service: deps.whatsapp, renderers: deps.renderers }),
      new SmsFallbackChannel({ sender, statuses: smsStatuses, messages: deps.messages, renderers: deps.renderers }),
    ],
  });
  const sends = new FallbackSendService({ engine, repo, cards: deps.cards, links: deps.links, mmsText: deps.mmsText });
  return {
    engine, repo, sends, smsStatuses,
    start() {
      engine.start();
      smsStatuses.start();
    },
    async stop() {
      await smsStatuses.stop();
      await engine.stop();
    },
  };
}
