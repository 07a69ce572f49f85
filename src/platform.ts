/**
 * Composition root: builds every component from the config and starts the roles this process
 * runs (api, worker, simulator). Tests build a platform the same way, on ephemeral ports.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/db-client.js';
import { migrate } from './db/migrate.js';
import type { Logger } from './logging/logger.js';
import { AccountRepository } from './accounts/account.repository.js';
import { SignatureRepository } from './accounts/signature.repository.js';
import { TemplateRepository } from './messages/template.repository.js';
import { MessageRepository } from './messages/message.repository.js';
import { ChannelRepository } from './routing/channel.repository.js';
import { Router } from './routing/router.js';
import { ChannelRegistry } from './channels/channel-registry.js';
import { ChannelSupervisor } from './channels/channel-supervisor.js';
import { SendQueues } from './queues/send-queue.js';
import { startSendWorker } from './queues/send.worker.js';
import { SubmitClaims } from './queues/submit-claims.js';
import { HandoffMarkers } from './queues/handoff-markers.js';
import { ChannelStatsExchange, ChannelStatsTracker } from './routing/channel-stats.js';
import { hostname } from 'node:os';
import { Dispatcher } from './messages/dispatcher.js';
import { SubmitRecorder } from './messages/submit-recorder.js';
import { ScheduledReleaser } from './messages/scheduler.js';
import { Resender } from './messages/resender.js';
import { ReceiptProcessor } from './receipts/receipt-processor.js';
import { CallbackPusher } from './receipts/callback-pusher.js';
import { handleMo } from './receipts/mo-handler.js';
import { ReportRepository } from './receipts/report.repository.js';
import { BlacklistCache, WhitelistCache } from './policy/blacklist.js';
import { BlacklistService } from './policy/blacklist.service.js';
import { FrequencyCapChecker, DEFAULT_CAP_RULES, type FrequencyCapRules } from './policy/frequency-caps.js';
import { compileKeywords } from './content/keywords.js';
import { DEFAULT_KEYWORD_LIBRARY } from './content/default-keywords.js';
import { PortabilityRepository } from './numbers/portability.repository.js';
import { Authenticator } from './http/auth.js';
import { createApp, requestListener } from './http/app.js';
import { messagesRouter } from './http/routes/messages.routes.js';
import { accountRouter } from './http/routes/account.routes.js';
import { adminRouter } from './http/routes/admin.routes.js';
import { reportsRouter } from './http/routes/reports.routes.js';
import { backfillReportRouter } from './http/routes/backfill-report.routes.js';
import { BackfillReportRepository } from './verify/backfill-report.repository.js';
import { RouteQualityRefresher, RouteQualityRepository } from './verify/route-quality.repository.js';
import { docsRouter } from './http/routes/docs.routes.js';
import { senderIdsAdminRouter, senderIdsRouter } from './http/routes/sender-ids.routes.js';
import { loadSenderIdRules } from './senders/sender-id-rules.js';
import { SenderRegistrationRepository } from './senders/sender-registration.repository.js';
import { SenderDirectory } from './senders/sender-directory.js';
import { SenderRegistrations } from './senders/sender-registrations.js';
import { SettlementTimer } from './billing/settlement-timer.js';
import { startSmscSimulator, type SmscSimulator } from './channels/smpp/smsc-simulator.js';
import { newId } from './ids.js';
import { AppError } from './http/app-error.js';
import { cancelScheduledMessage } from './messages/cancel-message.js';
import { SmppCredentialsRepository } from './smpp-server/smpp-credentials.repository.js';
import { SmppIngest } from './smpp-server/smpp-ingest.js';
import { authorizeBind } from './smpp-server/bind-auth.js';
import { CustomerSmppServer } from './smpp-server/customer-smpp-server.js';
import { SmppReportRepository } from './smpp-server/smpp-report.repository.js';
import { SmppReportSender } from './smpp-server/smpp-report-sender.js';
import { messageState, smppTime } from './smpp-server/smpp-message-state.js';
import { messageIdOf } from './smpp-server/smpp-report-address.js';
import { accountSmppCredentialsRouter, smppCredentialsRouter } from './http/routes/smpp-credentials.routes.js';
import { verificationsRouter } from './http/routes/verifications.routes.js';
import { VerificationRepository } from './verify/verification.repository.js';
import { VerificationService } from './verify/verification.service.js';
import { VerificationSenders } from './verify/verification-senders.js';
import { VerificationLimiter } from './verify/verification-limits.js';
import { VerificationTracker } from './verify/verification-tracker.js';
import { InternalReportRepository } from './receipts/internal-report.repository.js';
import { WhatsAppCloudAdapter } from './channels/whatsapp/whatsapp.adapter.js';
import { WhatsAppService } from './channels/whatsapp/whatsapp.service.js';
import { startWhatsAppSimulator, type WhatsAppSimulator } from './channels/whatsapp/whatsapp-simulator.js';
import { WHATSAPP_WEBHOOK_PATH, whatsappWebhookRouter } from './http/routes/whatsapp-webhook.routes.js';
import { whatsappAdminRouter, whatsappRouter } from './http/routes/whatsapp.routes.js';
import { SmartSmsAdapter } from './channels/smart-sms/smart-sms.adapter.js';
import { SmartSmsService } from './channels/smart-sms/smart-sms.service.js';
import { startSmartSmsSimulator, type SmartSmsSimulator } from './channels/smart-sms/smart-sms-simulator.js';
import { consoleRouter } from './console/console.routes.js';
import { backfillPage } from './console/reports/backfill.page.js';
import { campaignsPage } from './console/campaigns/campaigns.page.js';
import { fallbackPage } from './console/fallback/fallback.page.js';
import type { BackfillReportSource } from './console/reports/backfill-report-source.js';
import { CardTemplateRepository } from './cards/card-template.repository.js';
import { CardTemplateService } from './cards/card-template.service.js';
import { CardMediaRepository } from './cards/card-media.repository.js';
import { CardMediaService } from './cards/card-media.service.js';
import type { CardRendererRegistry } from './cards/render/card-renderer.js';
import { defaultCardRenderers } from './cards/render/card-renderers.js';
import { cardMediaRouter, cardTemplatesAdminRouter, cardTemplatesRouter } from './http/routes/cards.routes.js';
import { LinkRepository } from './links/link.repository.js';
import { CampaignRepository } from './links/campaign.repository.js';
import { Identities } from './links/identity.js';
import { LinkCache } from './links/link-cache.js';
import { ClickRecorder } from './links/click-recorder.js';
import { LinkService } from './links/link.service.js';
import { ClickReports } from './links/click-reports.js';
import { ClickReportRepository } from './links/click-report.repository.js';
import { ClickRepository } from './links/click.repository.js';
import { ClickAggregator } from './links/click-aggregator.worker.js';
import { LinkPages } from './links/link-pages.js';
import { shortLinkHandler } from './links/redirect-handler.js';
import { linksRouter } from './http/routes/links.routes.js';
import { clickReportRouter } from './http/routes/click-report.routes.js';
import { cardPageRenderer } from './campaigns/card-page.js';
import { CardCampaignService } from './campaigns/card-campaign.service.js';
import { CardParseFees } from './campaigns/card-parse-fees.js';
import { cardCampaignsRouter } from './http/routes/card-campaigns.routes.js';
import { createFallbackModule, type FallbackModule } from './fallback/fallback-module.js';
import { fallbackAdminRouter } from './http/routes/fallback-admin.routes.js';
import { WhatsAppSmsFallback } from './fallback/whatsapp-sms-fallback.js';
import { FallbackReports } from './fallback/report/fallback-reports.js';
import { FallbackReportRepository } from './fallback/report/fallback-report.repository.js';
import { fallbackReportRouter } from './http/routes/fallback-report.routes.js';
import { cardTemplatesPage } from './console/cards/card-templates.page.js';
import { createRcsModule, type RcsModule } from './channels/rcs/rcs-module.js';
import { startMaapSimulator, type MaapSimulator } from './channels/rcs/maap-simulator.js';
import { rcsAdminRouter, rcsRouter } from './http/routes/rcs.routes.js';
import { RCS_WEBHOOK_PATH, rcsWebhookRouter } from './http/routes/rcs-webhook.routes.js';
import { MmsGatewayAdapter } from './channels/mms/mms-gateway.adapter.js';
import { startMmsGatewaySimulator, type MmsGatewaySimulator } from './channels/mms/mms-gateway-simulator.js';
import { parseSizeLimits } from './channels/mms/mms-simulator-rules.js';
import { MmsMessageRepository } from './channels/mms/mms-message.repository.js';
import { MmsTemplateRepository } from './channels/mms/mms-template.repository.js';
import { MmsTemplateService } from './channels/mms/mms-template.service.js';
import { MmsService } from './channels/mms/mms.service.js';
import { MmsFallbackChannel } from './channels/mms/mms-fallback-channel.js';
import { mmsAdminRouter, mmsMediaRouter, mmsRouter } from './http/routes/mms.routes.js';
import { mmsPageRenderer } from './channels/mms/mms-page.js';

export const SIMULATOR_CHANNEL_ID = 'simulator';

export interface PlatformOptions {
  config: Config;
  logger: Logger;
  /** A schema of its own on a PostgreSQL server (tests). */
  schema?: string;
  /** Use these instead of opening new ones. */
  db?: Db;
  /** What the console's backfill page reads (the backfill report repository; tests may pass their own). */
  backfillReports?: BackfillReportSource;
}

export interface Platform {
  config: Config;
  db: Db;
  redis: Redis;
  accounts: AccountRepository;
  channels: ChannelRepository;
  receipts: ReceiptProcessor;
  pusher: CallbackPusher;
  scheduler: ScheduledReleaser;
  handoffs: HandoffMarkers;
  simulator?: SmscSimulator;
  whatsapp: WhatsAppService;
  /** The bundled WhatsApp Cloud API simulator (simulator role). */
  whatsappSimulator?: WhatsAppSimulator;
  /** Card templates, their media, and the renderers (smart-SMS text, H5 page, plain text). */
  cards: { templates: CardTemplateService; media: CardMediaService; renderers: CardRendererRegistry };
  /** Smart SMS on the provider side: template registration, parse links, support, parse reports. */
  smartSms: SmartSmsService;
  /** The bundled smart-SMS parse platform simulator (simulator role). */
  smartSmsSimulator?: SmartSmsSimulator;
  /** 5G messages: chatbots, sends, keyword replies, and `fallbackChannel` for the fallback engine. */
  rcs: RcsModule;
  /** Sends with a channel chain (rcs → smart_sms → sms …) and the engine that runs them. */
  fallback: FallbackModule;
  /** The bundled MaaP (5G message) simulator (simulator role). */
  maapSimulator?: MaapSimulator;
  /** MMS / video SMS: templates (review, fitted media), sends, and the fallback engine's mms channel. */
  mms: { templates: MmsTemplateService; service: MmsService; fallbackChannel: MmsFallbackChannel };
  /** The bundled MMS gateway simulator (simulator role). */
  mmsSimulator?: MmsGatewaySimulator;
  /** The SMPP server customers bind to (role smpp). */
  smppServer?: CustomerSmppServer;
  /** Short links: single and per-recipient links, campaigns, parse counts (src/links). */
  links: LinkService;
  /** The click report (GET /v1/reports/clicks). */
  clickReports: ClickReports;
  /** Buffers clicks of GET /s/:code into the Redis stream (flush() in tests). */
  clickRecorder: ClickRecorder;
  /** Moves clicks from Redis into PostgreSQL (role worker). */
  clickAggregator?: ClickAggregator;
  app: ReturnType<typeof createApp>;
  /** Listening ports once started. */
  ports: { api?: number; simulator?: number; whatsappSimulator?: number; smartSmsSimulator?: number; maapSimulator?: number; mmsSimulator?: number; smpp?: number; smppTls?: number };
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createPlatform(opts: PlatformOptions): Promise<Platform> {
  const { config, logger } = opts;
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, schema: opts.schema }));
  await migrate(db);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const keyPrefix = `${config.redisPrefix}:`;

  const accounts = new AccountRepository(db);
  const signatures = new SignatureRepository(db);
  const templates = new TemplateRepository(db);
  const messageRepo = new MessageRepository(db);
  const channels = new ChannelRepository(db);
  const registry = new ChannelRegistry(logger);
  const router = new Router(channels, registry);
  // Recent backfill rate per route, for accounts with backfillRouting (refreshed at most once a minute).
  const routeQuality = new RouteQualityRefresher(new RouteQualityRepository(db), (stats) => router.setBackfillStats(stats));
  const queues = new SendQueues(redis, config.redisPrefix);
  const dispatcher = new Dispatcher(db, router, queues);
  const portability = new PortabilityRepository(db);
  const blacklistCache = new BlacklistCache({ redis, keyPrefix });
  const whitelistCache = new WhitelistCache({ redis, keyPrefix });
  const blacklist = new BlacklistService(db, blacklistCache, whitelistCache);
  const capRulesByAccount = new Map<string, FrequencyCapRules>();
  const caps = new FrequencyCapChecker({ redis, keyPrefix, rulesFor: (m) => capRulesByAccount.get(m.accountId) ?? DEFAULT_CAP_RULES });
  const keywords = compileKeywords(DEFAULT_KEYWORD_LIBRARY);
  // A broken rules file stops the start here, naming the country and field.
  const senderRules = loadSenderIdRules();
  const senderRepo = new SenderRegistrationRepository(db);
  const senders = new SenderDirectory(senderRules, senderRepo);
  const senderIds = { rules: senderRules, repo: senderRepo, registrations: new SenderRegistrations({ repo: senderRepo, rules: senderRules, onDecision: (id) => senders.reloadAccount(id) }) };
  const auth = new Authenticator(accounts, config.adminKey);
  const channelStats = new ChannelStatsTracker();
  const statsExchange = new ChannelStatsExchange(redis, config.redisPrefix, `${hostname()}:${process.pid}`);
  const handoffs = new HandoffMarkers(redis, config.redisPrefix);
  const recorder = new SubmitRecorder(db, handoffs, channelStats);
  const claims = new SubmitClaims(redis, config.redisPrefix);
  const resender = new Resender({ db, redis, prefix: config.redisPrefix, accounts, router, dispatcher, handoffs, logger });
  // Per-account report settings the receipt path reads for every receipt: kept in memory.
  const reportFlags = new Map<string, { perMessage: boolean; mayResend: boolean }>();
  const receipts = new ReceiptProcessor({
    db, logger,
    perMessage: (id) => reportFlags.get(id)?.perMessage ?? false,
    mayResend: (id) => reportFlags.get(id)?.mayResend ?? true,
    onEarlyFailure: (f) => resender.start(f),
    stats: channelStats,
  });
  const smppCredentials = new SmppCredentialsRepository(db);
  const pusher = new CallbackPusher({ db, logger, timeoutMs: config.callbackTimeoutMs });
  const scheduler = new ScheduledReleaser(messageRepo, accounts, dispatcher, handoffs, logger);
  const settlement = new SettlementTimer(db, logger);

  const refreshReportFlags = async () => {
    const flags = await accounts.reportFlags();
    reportFlags.clear();
    for (const [id, f] of flags) reportFlags.set(id, f);
  };
  const onChange = async (what: 'accounts' | 'channels') => {
    if (what === 'accounts') {
      auth.invalidate();
      await refreshReportFlags();
    } else {
      await router.refresh();
      if (config.roles.includes('worker')) await supervisor.sync();
    }
  };

  const acceptDeps = { db, logger, portability, handoffs, dispatcher, blacklist: blacklistCache, whitelist: whitelistCache, caps, capRulesByAccount, senders };
  const wa = config.whatsapp;
  const whatsapp = new WhatsAppService({
    db, logger, phoneNumberId: wa.phoneNumberId,
    adapter: new WhatsAppCloudAdapter({
      baseUrl: () => wa.baseUrl ?? platform.whatsappSimulator?.url ?? `http://127.0.0.1:${wa.simulator.port}`,
      apiVersion: wa.apiVersion, phoneNumberId: wa.phoneNumberId, accessToken: wa.accessToken, timeoutMs: wa.timeoutMs,
    }),
  });

  const ss = config.smartSms;
  const smartSms = new SmartSmsService({
    db, logger, poll: { intervalMs: ss.reportPollMs, windowMs: ss.reportWindowHours * 3_600_000 },
    adapter: new SmartSmsAdapter({
      baseUrl: () => ss.baseUrl ?? platform.smartSmsSimulator?.url ?? `http://127.0.0.1:${ss.simulator.port}`,
      appKey: ss.appKey, appSecret: ss.appSecret, timeoutMs: ss.timeoutMs,
    }),
    // Unset: the bundled simulator's own address, so its links open on this machine.
    domain: () => ss.domain ?? platform.smartSmsSimulator?.domain ?? `${config.simulatorAdvertisedHost}:${ss.simulator.port}`,
  });

  const mc = config.mms;
  const mmsTemplates = new MmsTemplateService(new MmsTemplateRepository(db));
  const mmsService = new MmsService({
    repo: new MmsMessageRepository(db), templates: mmsTemplates, accounts, logger, reportPollMs: mc.reportPollMs,
    gateway: new MmsGatewayAdapter({
      baseUrl: () => mc.baseUrl ?? platform.mmsSimulator?.url ?? `http://${config.simulatorAdvertisedHost}:${mc.simulator.port}`,
      appKey: mc.appKey, appSecret: mc.appSecret, timeoutMs: mc.timeoutMs,
    }),
  });
  const mms = { templates: mmsTemplates, service: mmsService, fallbackChannel: new MmsFallbackChannel({ service: mmsService, templates: mmsTemplates }) };

  const backfillReports = new BackfillReportRepository(db);
  const verificationRepo = new VerificationRepository(db);
  const verifications = new VerificationService({
    repo: verificationRepo, redis, redisPrefix: config.redisPrefix, secret: config.verify.secret, logger,
    limiter: new VerificationLimiter(redis, keyPrefix),
    senders: new VerificationSenders({ ...acceptDeps, signatures, keywords, templates, whatsapp, whatsappTemplate: config.verify.whatsappTemplate }),
  });
  const verificationTracker = new VerificationTracker({
    service: verifications, repo: verificationRepo, reports: new InternalReportRepository(db, 'verify'), accounts, whatsapp, logger,
  });

  const cardRenderers = defaultCardRenderers();
  const cardTemplates = new CardTemplateService({ repo: new CardTemplateRepository(db), renderers: cardRenderers });
  const cards = { templates: cardTemplates, media: new CardMediaService({ repo: new CardMediaRepository(db), templates: cardTemplates }), renderers: cardRenderers };
  // Short links: clicks go GET /s/:code → Redis stream → click aggregator (worker) → PostgreSQL.
  const linkRepo = new LinkRepository(db);
  const campaignRepo = new CampaignRepository(db);
  const identities = new Identities(config.links.secret);
  const linkCache = new LinkCache({ redis, prefix: config.redisPrefix, repo: linkRepo, size: config.links.cacheSize, logger });
  const clickStream = `${config.redisPrefix}:links:clicks`;
  const clickRecorder = new ClickRecorder({ redis, streamKey: clickStream, logger });
  const linkBaseUrl = () => config.links.baseUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${platform.ports.api ?? config.port}`;
  const links = new LinkService({ db, links: linkRepo, campaigns: campaignRepo, cache: linkCache, identities, baseUrl: linkBaseUrl, logger });
  const clickReports = new ClickReports({ repo: new ClickReportRepository(db), campaigns: campaignRepo, links: linkRepo, deliveredCacheMs: config.links.deliveredCacheMs });
  const linkPages = new LinkPages();
  const shortLinks = shortLinkHandler({
    cache: linkCache, recorder: clickRecorder, identities, pages: linkPages, logger, baseUrl: linkBaseUrl,
    renderCardPage: cardPageRenderer({ cards: cardTemplates, renderers: cardRenderers, fallback: (l) => linkPages.link(l.targetUrl) }),
    renderMmsPage: mmsPageRenderer({ templates: mmsTemplates, fallback: (l) => linkPages.link(l.targetUrl) }),
  });
  const clickAggregator = config.roles.includes('worker')
    ? new ClickAggregator({ redis, streamKey: clickStream, consumer: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, repo: new ClickRepository(db), logger, claimIdleMs: config.links.claimIdleMs })
    : undefined;

  const rc = config.rcs;
  const rcs = createRcsModule({
    db, redis, redisPrefix: config.redisPrefix, config: rc, logger, cards: cardTemplates, renderers: cardRenderers,
    baseUrl: () => rc.baseUrl ?? platform.maapSimulator?.url ?? `http://127.0.0.1:${rc.simulator.port}`,
    // Handsets fetch card media themselves: the public origin, else this API's address.
    mediaBaseUrl: () => config.publicBaseUrl ?? linkBaseUrl(),
  });

  const fallback = createFallbackModule({
    db, logger, accept: acceptDeps, accounts, signatures, keywords, messages: messageRepo, cards: cardTemplates, renderers: cardRenderers,
    links, smartSms, whatsapp, channels: [rcs.fallbackChannel, mms.fallbackChannel], engine: config.fallback,
    // The text steps of an MMS send carry its subject and slide texts.
    mmsText: async (accountId, templateId, variables) => {
      const r = (await mmsTemplates.prepare(accountId, templateId)).render(variables);
      return [r.subject, ...r.texts].filter((t) => t.trim() !== '').join('\n');
    },
  });

  const fallbackReports = new FallbackReports(new FallbackReportRepository(db));

  const cardCampaigns = new CardCampaignService({ ...acceptDeps, cards: cardTemplates, renderers: cardRenderers, links, smartSms, signatures, keywords, logger });
  const parseFees = new CardParseFees({ smartSms, logger });

  const app = createApp({
    auth, logger,
    routers: {
      front: [shortLinks],
      raw: [whatsappWebhookRouter({ service: whatsapp, appSecret: wa.appSecret, verifyToken: wa.verifyToken }), rcsWebhookRouter({ service: rcs.service, secret: rc.webhookSecret })],
      public: [docsRouter(), cardMediaRouter(cards), mmsMediaRouter(mms)],
      admin: [
        adminRouter({ accounts, signatures, templates, channels, blacklist, portability, onChange, simulator: () => platform.simulator }),
        smppCredentialsRouter({ accounts, credentials: smppCredentials }),
        senderIdsAdminRouter(senderIds),
        whatsappAdminRouter({ simulator: () => platform.whatsappSimulator }),
        cardTemplatesAdminRouter(cards),
        fallbackAdminRouter({ engine: fallback.engine }),
        rcsAdminRouter({ chatbots: rcs.chatbots, simulator: () => platform.maapSimulator }),
        mmsAdminRouter(mms),
      ],
      account: [
        messagesRouter({ ...acceptDeps, messageRepo, templates, signatures, keywords, fallback: fallback.sends }),
        accountRouter({ accounts, signatures, templates, blacklist }),
        reportsRouter({ reports: new ReportRepository(db) }),
        backfillReportRouter({ reports: backfillReports }),
        accountSmppCredentialsRouter({ credentials: smppCredentials }),
        verificationsRouter({ service: verifications, templates }),
        senderIdsRouter(senderIds),
        whatsappRouter({ service: whatsapp, fallback: new WhatsAppSmsFallback({ whatsapp, sends: fallback.sends }), smsMessage: (accountId, id) => messageRepo.get(accountId, id) }),
        cardTemplatesRouter(cards),
        linksRouter({ links }),
        cardCampaignsRouter({ campaigns: cardCampaigns, fallback: fallback.sends }),
        clickReportRouter({ reports: clickReports }),
        fallbackReportRouter({ reports: fallbackReports }),
        rcsRouter({ chatbots: rcs.chatbots, api: rcs.api, service: rcs.service }),
        mmsRouter({ templates: mmsTemplates, messages: mmsService }),
      ],
      console: consoleRouter({
        accounts, logger,
        sessionSecret: config.consoleSessionSecret,
        secureCookies: config.publicBaseUrl?.startsWith('https://') ?? false,
        // Navigation order (the first page is the console's home).
        pages: [
          // The console reads the same report as GET /v1/reports/backfill (days in UTC).
          backfillPage({ source: opts.backfillReports ?? { report: (accountId, q) => backfillReports.report({ ...q, accountId, timeZone: 'UTC' }) } }),
          cardTemplatesPage({
            cards, signatures: (accountId) => signatures.approvedNames(accountId),
            // A test send is a one-recipient card campaign: the same links, parse link and SMS.
            sendTest: async (account, templateId, to, variables, { signature }) => {
              const sent = await cardCampaigns.send(account, {
                templateId, recipients: [{ to, variables }], campaignName: 'Test send',
                signature: signature ?? (await signatures.approvedNames(account.id))[0] ?? '',
              });
              const refused = sent.rejected[0];
              if (sent.accepted === 0) throw new AppError(400, refused?.code ?? 'VALIDATION_FAILED', refused?.message ?? 'The test was not sent', 'to');
              return { reference: sent.campaignId };
            },
          }),
          campaignsPage({
            campaigns: campaignRepo, templates: cardTemplates, signatures, sender: cardCampaigns, reports: clickReports, fallbackReports,
            deliveredCacheMs: config.links.deliveredCacheMs, secureCookies: config.publicBaseUrl?.startsWith('https://') ?? false,
          }),
          fallbackPage({ reports: fallbackReports }),
        ],
      }),
    },
  });

  const supervisor = new ChannelSupervisor({
    channels, registry, logger,
    onOpen: (c, adapter) => {
      adapter.onReceipt((r) => receipts.add(c.id, r));
      adapter.onMo((m) => void handleMo({ db, accounts, logger, onUnsubscribe: (acc, n) => blacklist.cacheUnsubscribe(acc, n), smppSystemIdFor: (acc) => smppCredentials.moSystemId(acc) }, { ...m, channelId: c.id })
        .catch((err) => logger.error('MO handling failed', { err })));
    },
    startWorker: (c, adapter) => startSendWorker({ channel: c, adapter, connection: redis, prefix: config.redisPrefix, recorder, claims, handoffs, queues, logger }),
  });

  const smppServer = config.roles.includes('smpp') ? new CustomerSmppServer({
    authorize: (req) => authorizeBind({ credentials: smppCredentials, accounts }, req),
    submit: (() => {
      const ingest = new SmppIngest({ ...acceptDeps, signatures, keywords });
      return (customer, submit, id, partReceipts) => ingest.submit(customer, submit, id, partReceipts);
    })(),
    async query(accountId, smppId) {
      const m = await messageRepo.get(accountId, messageIdOf(smppId));
      return m && { state: messageState(m.status, m.errorCode), finalDate: m.doneAt ? smppTime(new Date(m.doneAt)) : '', errorCode: 0 };
    },
    cancel: async (accountId, smppId) => (await cancelScheduledMessage({ db, messageRepo }, accountId, messageIdOf(smppId))).kind === 'cancelled',
    refreshAccount: (id) => accounts.findById(id),
    newMessageId: () => newId('msg'),
    logger,
  }, {
    port: config.smppServerPort, host: config.smppServerHost,
    tls: config.smppServerTls && { port: config.smppServerTls.port, key: readFileSync(config.smppServerTls.keyFile), cert: readFileSync(config.smppServerTls.certFile) },
  }) : undefined;
  const smppReports = smppServer ? new SmppReportSender({ repo: new SmppReportRepository(db), binds: smppServer, logger }) : undefined;

  let server: Server | undefined;
  // Other processes change channels and accounts too; pick their changes up periodically.
  let refreshTimer: NodeJS.Timeout | undefined;
  // Workers publish what they measured per channel; every router reads the sum (adaptive weights).
  const shareStats = async () => {
    if (config.roles.includes('worker')) await statsExchange.publish(channelStats.snapshot());
    router.setStats(await statsExchange.read());
  };
  const refreshPeriodically = () => {
    refreshTimer = setTimeout(() => void Promise.all([router.refresh(), refreshReportFlags(), shareStats(), senders.reload(), routeQuality.refresh()])
      .then(() => rcs.chatbots.refreshApproved())
      .catch((err) => logger.warn('cache refresh failed', { err }))
      .finally(refreshPeriodically), 10_000);
    refreshTimer.unref();
  };
  const platform: Platform = {
    config, db, redis, accounts, channels, receipts, pusher, scheduler, handoffs, whatsapp, cards, smartSms, app, ports: {},
    links, clickReports, clickRecorder, clickAggregator, rcs, fallback, mms,
    async start() {
      await portability.load();
      await blacklist.reload();
      await refreshReportFlags();
      await senders.reload();
      await rcs.chatbots.refreshApproved();
      if (config.roles.includes('simulator')) {
        platform.simulator = await startSmscSimulator({ port: config.simulatorPort, host: config.simulatorHost, receiptDelayMs: config.simulatorReceiptDelayMs, maxSubmitsPerSecond: config.simulatorMaxSubmitsPerSecond });
        platform.ports.simulator = platform.simulator.port;
        // Registers itself as a channel, at the address other processes reach it by.
        await channels.upsert({ id: SIMULATOR_CHANNEL_ID, name: 'Bundled SMSC simulator (not a carrier)', host: config.simulatorAdvertisedHost, port: platform.simulator.port, systemId: 'platform', password: 'secret', sourceAddress: '106900', windowSize: 100, submitsPerSecond: 20_000 });
        platform.whatsappSimulator = await startWhatsAppSimulator({
          port: wa.simulator.port, host: config.simulatorHost, phoneNumberId: wa.phoneNumberId, accessToken: wa.accessToken,
          appSecret: wa.appSecret, verifyToken: wa.verifyToken, statusDelayMs: wa.simulator.statusDelayMs, order: wa.simulator.statusOrder,
          maxPerSecond: wa.simulator.maxPerSecond, pairIntervalMs: wa.simulator.pairIntervalMs, logger: logger.child({ component: 'whatsapp-simulator' }),
          webhookUrl: wa.simulator.webhookUrl ?? `http://127.0.0.1:${config.port}${WHATSAPP_WEBHOOK_PATH}`,
        });
        platform.ports.whatsappSimulator = platform.whatsappSimulator.port;
        platform.smartSmsSimulator = await startSmartSmsSimulator({
          port: ss.simulator.port, host: config.simulatorHost, advertisedHost: config.simulatorAdvertisedHost,
          appKey: ss.appKey, appSecret: ss.appSecret, domains: ss.domain ? [ss.domain] : [],
          reviewDelayMs: ss.simulator.reviewDelayMs, reportDelayMs: ss.simulator.reportDelayMs,
          capableDigits: ss.simulator.capableDigits, countOn: ss.simulator.countOn,
          logger: logger.child({ component: 'smart-sms-simulator' }),
        });
        platform.ports.smartSmsSimulator = platform.smartSmsSimulator.port;
        platform.maapSimulator = await startMaapSimulator({
          port: rc.simulator.port, host: config.simulatorHost, token: rc.token, webhookSecret: rc.webhookSecret,
          rules: rc.simulator.rules, statusDelayMs: rc.simulator.statusDelayMs, logger: logger.child({ component: 'maap-simulator' }),
          webhookUrl: rc.simulator.webhookUrl ?? `http://127.0.0.1:${config.port}${RCS_WEBHOOK_PATH}`,
        });
        platform.ports.maapSimulator = platform.maapSimulator.port;
        platform.mmsSimulator = await startMmsGatewaySimulator({
          port: mc.simulator.port, host: config.simulatorHost, appKey: mc.appKey, appSecret: mc.appSecret,
          reportDelayMs: mc.simulator.reportDelayMs, logger: logger.child({ component: 'mms-simulator' }),
          rules: {
            undeliverableDigits: mc.simulator.undeliverableDigits, silentDigits: mc.simulator.silentDigits,
            refusedDigits: mc.simulator.refusedDigits, maxBytes: parseSizeLimits(mc.simulator.maxBytes),
          },
        });
        platform.ports.mmsSimulator = platform.mmsSimulator.port;
      }
      await router.refresh();
      refreshPeriodically();
      if (config.roles.includes('worker')) {
        await supervisor.sync();
        supervisor.start();
        scheduler.start();
        pusher.start();
        verificationTracker.start();
        fallback.start();
        settlement.start();
        smartSms.start();
        mmsService.start();
        parseFees.start();
        clickAggregator!.start();
      }
      if (smppServer) {
        await smppServer.start();
        platform.smppServer = smppServer;
        platform.ports.smpp = smppServer.port;
        platform.ports.smppTls = smppServer.tlsPort;
        smppReports!.start();
      }
      if (config.roles.includes('api')) {
        // Express 5 hands a listen error (port taken) to this callback instead of throwing; so does the
        // plain server the short links share.
        await new Promise<void>((resolve, reject) => {
          server = createServer(requestListener(app, [shortLinks]));
          server.once('error', (err) => reject(new Error(`API port ${config.host}:${config.port}: ${err.message}`)));
          server.listen(config.port, config.host, () => resolve());
        });
        const addr = server!.address();
        platform.ports.api = typeof addr === 'object' && addr ? addr.port : config.port;
        // The simulator in this process calls this API back (its port may have been 0 = any).
        if (platform.whatsappSimulator && !wa.simulator.webhookUrl) {
          const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
          platform.whatsappSimulator.setWebhookUrl(`http://${host}:${platform.ports.api}${WHATSAPP_WEBHOOK_PATH}`);
        }
        if (platform.maapSimulator && !rc.simulator.webhookUrl) {
          const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
          platform.maapSimulator.setWebhookUrl(`http://${host}:${platform.ports.api}${RCS_WEBHOOK_PATH}`);
        }
      }
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      // Before the channels stop: steps in flight finish sending.
      await fallback.stop();
      await clickRecorder.stop();
      await clickAggregator?.stop();
      await smppServer?.stop();
      await smppReports?.stop();
      clearTimeout(refreshTimer);
      await platform.whatsappSimulator?.stop();
      await smartSms.stop();
      await mmsService.stop();
      await platform.mmsSimulator?.stop();
      parseFees.stop();
      await platform.smartSmsSimulator?.stop();
      await platform.maapSimulator?.stop();
      scheduler.stop();
      settlement.stop();
      await pusher.stop();
      await verificationTracker.stop();
      await supervisor.stop();
      await receipts.flush();
      await resender.drain();
      await platform.simulator?.stop();
      await queues.close();
      redis.disconnect();
      if (!opts.db) await db.close();
    },
  };
  return platform;
}
