/**
 * The only reader of process.env. Everything else receives a typed, frozen Config.
 */
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { LINK_DOMAIN } from './channels/smart-sms/smart-sms-api.js';
import { DEFAULT_SIM_RULES, parseSimRules } from './channels/rcs/maap-simulator-rules.js';

const roleNames = ['api', 'worker', 'smpp', 'simulator'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  PGLITE_DIR: z.string().default('./data/pglite'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().default('sms'),
  ADMIN_KEY: z.string().min(16).default('dev-admin-key-change-me'),
  CONSOLE_SESSION_SECRET: z.string().min(32).optional(),
  ROLES: z
    .string()
    .default(roleNames.join(','))
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(roleNames))),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(2775),
  SIMULATOR_HOST: z.string().default('127.0.0.1'),
  SIMULATOR_ADVERTISED_HOST: z.string().optional(),
  SIMULATOR_RECEIPT_DELAY_MS: z.coerce.number().int().min(0).default(200),
  SIMULATOR_MAX_SUBMITS_PER_SECOND: z.coerce.number().int().min(1).optional(),
  SMPP_SERVER_PORT: z.coerce.number().int().min(0).max(65535).default(2776),
  SMPP_SERVER_HOST: z.string().default('127.0.0.1'),
  SMPP_SERVER_TLS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SMPP_SERVER_TLS_KEY_FILE: z.string().optional(),
  SMPP_SERVER_TLS_CERT_FILE: z.string().optional(),
  SMART_SMS_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMART_SMS_APP_KEY: z.string().min(1).default('dev-smart-sms-key'),
  SMART_SMS_APP_SECRET: z.string().min(8).default('dev-smart-sms-secret'),
  SMART_SMS_DOMAIN: z.string().regex(LINK_DOMAIN, 'a host name (optionally :port) registered with the provider').optional(),
  SMART_SMS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SMART_SMS_REPORT_POLL_MS: z.coerce.number().int().min(100).default(30_000),
  SMART_SMS_REPORT_WINDOW_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  SMART_SMS_SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(2781),
  SMART_SMS_SIMULATOR_REVIEW_DELAY_MS: z.coerce.number().int().min(0).default(2_000),
  SMART_SMS_SIMULATOR_REPORT_DELAY_MS: z.coerce.number().int().min(0).default(5_000),
  SMART_SMS_SIMULATOR_CAPABLE_DIGITS: z.string().regex(/^\d{0,10}$/).refine((s) => new Set(s).size === s.length, 'each digit at most once').default('012345'),
  SMART_SMS_SIMULATOR_COUNT_ON: z.enum(['issue', 'receive']).default('issue'),
  WHATSAPP_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
  WHATSAPP_PHONE_NUMBER_ID: z.string().min(1).default('100000000000001'),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).default('dev-whatsapp-token'),
  WHATSAPP_APP_SECRET: z.string().min(1).default('dev-whatsapp-app-secret'),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).default('dev-whatsapp-verify-token'),
  WHATSAPP_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WHATSAPP_SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(2780),
  WHATSAPP_SIMULATOR_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  WHATSAPP_SIMULATOR_STATUS_DELAY_MS: z.coerce.number().int().min(0).default(300),
  WHATSAPP_SIMULATOR_STATUS_ORDER: z.enum(['in-order', 'shuffled']).default('shuffled'),
  WHATSAPP_SIMULATOR_MAX_PER_SECOND: z.coerce.number().int().min(0).default(80),
  WHATSAPP_SIMULATOR_PAIR_INTERVAL_MS: z.coerce.number().int().min(0).default(6_000),
  RCS_MAAP_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  RCS_MAAP_TOKEN: z.string().min(1).default('dev-maap-token'),
  RCS_WEBHOOK_SECRET: z.string().min(8).default('dev-maap-webhook-secret'),
  RCS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  RCS_CHATBOT_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/i).default('botplatform.rcs.example'),
  RCS_CAPABILITY_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
  RCS_CAPABILITY_UNKNOWN_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
  RCS_SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(2782),
  RCS_SIMULATOR_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  RCS_SIMULATOR_STATUS_DELAY_MS: z.coerce.number().int().min(0).default(200),
  RCS_SIMULATOR_RULES: z.string().default(DEFAULT_SIM_RULES).superRefine((s, ctx) => {
    try {
      parseSimRules(s);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
  FALLBACK_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
  FALLBACK_GRACE_MS: z.coerce.number().int().min(100).default(30_000),
  FALLBACK_SWEEP_MS: z.coerce.number().int().min(50).default(1_000),
  MMS_GATEWAY_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  MMS_GATEWAY_APP_KEY: z.string().min(1).default('dev-mms-key'),
  MMS_GATEWAY_APP_SECRET: z.string().min(8).default('dev-mms-secret'),
  MMS_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  MMS_REPORT_POLL_MS: z.coerce.number().int().min(20).default(1_000),
  MMS_SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(2783),
  MMS_SIMULATOR_REPORT_DELAY_MS: z.coerce.number().int().min(0).default(200),
  MMS_SIMULATOR_UNDELIVERABLE_DIGITS: z.string().regex(/^\d{0,10}$/).default('7'),
  MMS_SIMULATOR_SILENT_DIGITS: z.string().regex(/^\d{0,10}$/).default('8'),
  MMS_SIMULATOR_REFUSED_DIGITS: z.string().regex(/^\d{0,10}$/).default('9'),
  MMS_SIMULATOR_MAX_BYTES: z.string().default(''),
  VERIFY_SECRET: z.string().min(16).optional(),
  VERIFY_WHATSAPP_TEMPLATE: z.string().regex(/^[a-z0-9_]{1,512}$/).default('verification_code'),
  LINKS_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LINKS_VISITOR_SECRET: z.string().min(16).optional(),
  LINKS_CACHE_SIZE: z.coerce.number().int().min(100).default(100_000),
  LINKS_CLAIM_IDLE_MS: z.coerce.number().int().min(100).default(30_000),
  LINKS_DELIVERED_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  PUBLIC_BASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  START_PRIVATE_REDIS: z
    .enum(['auto', 'never'])
    .default('auto'),
});

export type Role = (typeof roleNames)[number];

/** Smart-SMS parse platform (src/channels/smart-sms); the defaults point at the bundled simulator. */
export interface SmartSmsConfig {
  /** Provider API base URL; unset: the bundled simulator of this process. */
  readonly baseUrl?: string;
  readonly appKey: string;
  readonly appSecret: string;
  /** Link domain registered with the provider; unset: the bundled simulator's own host:port. */
  readonly domain?: string;
  readonly timeoutMs: number;
  /** How often the worker reads parse reports. */
  readonly reportPollMs: number;
  /** How long after a link request its batch's report is still read (late parses). */
  readonly reportWindowHours: number;
  readonly simulator: {
    readonly port: number;
    readonly reviewDelayMs: number;
    readonly reportDelayMs: number;
    /** Last digits of parse-capable (Android) handsets. */
    readonly capableDigits: string;
    readonly countOn: 'issue' | 'receive';
  };
}

/** WhatsApp Cloud API settings; the defaults point at the bundled simulator. */
export interface WhatsAppConfig {
  /** Cloud API base URL (https://graph.facebook.com); unset: the bundled simulator of this process. */
  readonly baseUrl?: string;
  readonly apiVersion: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  /** Meta app secret: verifies X-Hub-Signature-256 on webhooks. */
  readonly appSecret: string;
  /** Answered in the webhook verification handshake (hub.verify_token). */
  readonly verifyToken: string;
  readonly timeoutMs: number;
  readonly simulator: {
    readonly port: number;
    /** Where the simulator sends webhooks; unset: this process's API (/webhooks/whatsapp). */
    readonly webhookUrl?: string;
    readonly statusDelayMs: number;
    readonly statusOrder: 'in-order' | 'shuffled';
    /** 0 = no limit. */
    readonly maxPerSecond: number;
    /** 0 = no limit. */
    readonly pairIntervalMs: number;
  };
}

/** 5G messages (src/channels/rcs); the defaults point at the bundled MaaP simulator. */
export interface RcsConfig {
  /** MaaP (CSP API) base URL; unset: the bundled simulator of this process. */
  readonly baseUrl?: string;
  readonly token: string;
  /** Key of the MaaP notifications' X-Maap-Signature. */
  readonly webhookSecret: string;
  readonly timeoutMs: number;
  /** Domain of generated chatbot addresses (sip:<digits>@<domain>). */
  readonly chatbotDomain: string;
  readonly capabilityTtlSeconds: number;
  readonly capabilityUnknownTtlSeconds: number;
  readonly simulator: {
    readonly port: number;
    /** Where the simulator sends notifications; unset: this process's API (/webhooks/rcs). */
    readonly webhookUrl?: string;
    readonly statusDelayMs: number;
    /** `outcome:digits,…` (maap-simulator-rules.ts). */
    readonly rules: string;
  };
}

/** MMS gateway (src/channels/mms); the defaults point at the bundled simulator. */
export interface MmsConfig {
  /** Gateway API base URL; unset: the bundled simulator of this process. */
  readonly baseUrl?: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly timeoutMs: number;
  /** How often the worker reads status reports. */
  readonly reportPollMs: number;
  readonly simulator: {
    readonly port: number;
    readonly reportDelayMs: number;
    readonly undeliverableDigits: string;
    readonly silentDigits: string;
    readonly refusedDigits: string;
    /** Per-product byte limits over the profile defaults (`mms=30000,video-sms=1000000`). */
    readonly maxBytes: string;
  };
}

/** Short links and click tracking (src/links). */
export interface LinksConfig {
  /** Origin of short URLs (https://t.example.cn); unset: PUBLIC_BASE_URL, else this API's address. */
  readonly baseUrl?: string;
  /** HMAC key of visitor and recipient hashes and button-link signatures (default derived from ADMIN_KEY). */
  readonly secret: string;
  /** Links kept in each process's memory (LRU). */
  readonly cacheSize: number;
  /** Clicks a stopped aggregator left unacknowledged are taken over after this idle time. */
  readonly claimIdleMs: number;
  /** How long a campaign's delivered count is reused before it is counted again. */
  readonly deliveredCacheMs: number;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl?: string;
  readonly pgliteDir: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly adminKey: string;
  /** HMAC key of console session cookies; every process of one deployment must share it. */
  readonly consoleSessionSecret: string;
  readonly roles: readonly Role[];
  readonly simulatorPort: number;
  /** Address the simulator listens on. */
  readonly simulatorHost: string;
  /** Address workers use to reach it (another container's name in docker-compose). */
  readonly simulatorAdvertisedHost: string;
  readonly simulatorReceiptDelayMs: number;
  /** Above this the simulator answers ESME_RTHROTTLED (unset: no limit). */
  readonly simulatorMaxSubmitsPerSecond?: number;
  /** Where customers bind over SMPP (role smpp). */
  readonly smppServerPort: number;
  readonly smppServerHost: string;
  /** SMPP over TLS beside the plain listener: port and PEM files (all three, or none). */
  readonly smppServerTls?: { readonly port: number; readonly keyFile: string; readonly certFile: string };
  readonly callbackTimeoutMs: number;
  readonly whatsapp: WhatsAppConfig;
  readonly smartSms: SmartSmsConfig;
  readonly rcs: RcsConfig;
  /** Fallback engine: claim lease, grace before the sweeper runs a ready step, sweeper period. */
  readonly fallback: { readonly leaseMs: number; readonly graceMs: number; readonly sweepIntervalMs: number };
  readonly mms: MmsConfig;
  /** Verifications: the key of code hashes (default derived from ADMIN_KEY, so every process agrees). */
  readonly verify: { readonly secret: string; readonly whatsappTemplate: string };
  readonly links: LinksConfig;
  readonly publicBaseUrl?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly startPrivateRedis: 'auto' | 'never';
}

/** Parses the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    pgliteDir: e.PGLITE_DIR,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    adminKey: e.ADMIN_KEY,
    // Derived from ADMIN_KEY when unset, so every process of a deployment agrees without one more
    // secret to distribute; the derivation keeps the admin key itself out of cookie MACs.
    consoleSessionSecret: e.CONSOLE_SESSION_SECRET ?? createHmac('sha256', e.ADMIN_KEY).update('console-session-v1').digest('base64url'),
    roles: Object.freeze([...e.ROLES]),
    simulatorPort: e.SIMULATOR_PORT,
    simulatorHost: e.SIMULATOR_HOST,
    simulatorAdvertisedHost: e.SIMULATOR_ADVERTISED_HOST ?? (e.SIMULATOR_HOST === '0.0.0.0' ? '127.0.0.1' : e.SIMULATOR_HOST),
    simulatorReceiptDelayMs: e.SIMULATOR_RECEIPT_DELAY_MS,
    simulatorMaxSubmitsPerSecond: e.SIMULATOR_MAX_SUBMITS_PER_SECOND,
    smppServerPort: e.SMPP_SERVER_PORT,
    smppServerHost: e.SMPP_SERVER_HOST,
    smppServerTls: smppTls(e.SMPP_SERVER_TLS_PORT, e.SMPP_SERVER_TLS_KEY_FILE, e.SMPP_SERVER_TLS_CERT_FILE),
    callbackTimeoutMs: e.CALLBACK_TIMEOUT_MS,
    smartSms: Object.freeze({
      baseUrl: e.SMART_SMS_BASE_URL,
      appKey: e.SMART_SMS_APP_KEY,
      appSecret: e.SMART_SMS_APP_SECRET,
      domain: e.SMART_SMS_DOMAIN,
      timeoutMs: e.SMART_SMS_TIMEOUT_MS,
      reportPollMs: e.SMART_SMS_REPORT_POLL_MS,
      reportWindowHours: e.SMART_SMS_REPORT_WINDOW_HOURS,
      simulator: Object.freeze({
        port: e.SMART_SMS_SIMULATOR_PORT,
        reviewDelayMs: e.SMART_SMS_SIMULATOR_REVIEW_DELAY_MS,
        reportDelayMs: e.SMART_SMS_SIMULATOR_REPORT_DELAY_MS,
        capableDigits: e.SMART_SMS_SIMULATOR_CAPABLE_DIGITS,
        countOn: e.SMART_SMS_SIMULATOR_COUNT_ON,
      }),
    }),
    whatsapp: Object.freeze({
      baseUrl: e.WHATSAPP_BASE_URL,
      apiVersion: e.WHATSAPP_API_VERSION,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      accessToken: e.WHATSAPP_ACCESS_TOKEN,
      appSecret: e.WHATSAPP_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      timeoutMs: e.WHATSAPP_TIMEOUT_MS,
      simulator: Object.freeze({
        port: e.WHATSAPP_SIMULATOR_PORT,
        webhookUrl: e.WHATSAPP_SIMULATOR_WEBHOOK_URL,
        statusDelayMs: e.WHATSAPP_SIMULATOR_STATUS_DELAY_MS,
        statusOrder: e.WHATSAPP_SIMULATOR_STATUS_ORDER,
        maxPerSecond: e.WHATSAPP_SIMULATOR_MAX_PER_SECOND,
        pairIntervalMs: e.WHATSAPP_SIMULATOR_PAIR_INTERVAL_MS,
      }),
    }),
    rcs: Object.freeze({
      baseUrl: e.RCS_MAAP_BASE_URL,
      token: e.RCS_MAAP_TOKEN,
      webhookSecret: e.RCS_WEBHOOK_SECRET,
      timeoutMs: e.RCS_TIMEOUT_MS,
      chatbotDomain: e.RCS_CHATBOT_DOMAIN,
      capabilityTtlSeconds: e.RCS_CAPABILITY_TTL_SECONDS,
      capabilityUnknownTtlSeconds: e.RCS_CAPABILITY_UNKNOWN_TTL_SECONDS,
      simulator: Object.freeze({
        port: e.RCS_SIMULATOR_PORT,
        webhookUrl: e.RCS_SIMULATOR_WEBHOOK_URL,
        statusDelayMs: e.RCS_SIMULATOR_STATUS_DELAY_MS,
        rules: e.RCS_SIMULATOR_RULES,
      }),
    }),
    fallback: Object.freeze({ leaseMs: e.FALLBACK_LEASE_MS, graceMs: e.FALLBACK_GRACE_MS, sweepIntervalMs: e.FALLBACK_SWEEP_MS }),
    mms: Object.freeze({
      baseUrl: e.MMS_GATEWAY_BASE_URL,
      appKey: e.MMS_GATEWAY_APP_KEY,
      appSecret: e.MMS_GATEWAY_APP_SECRET,
      timeoutMs: e.MMS_GATEWAY_TIMEOUT_MS,
      reportPollMs: e.MMS_REPORT_POLL_MS,
      simulator: Object.freeze({
        port: e.MMS_SIMULATOR_PORT,
        reportDelayMs: e.MMS_SIMULATOR_REPORT_DELAY_MS,
        undeliverableDigits: e.MMS_SIMULATOR_UNDELIVERABLE_DIGITS,
        silentDigits: e.MMS_SIMULATOR_SILENT_DIGITS,
        refusedDigits: e.MMS_SIMULATOR_REFUSED_DIGITS,
        maxBytes: e.MMS_SIMULATOR_MAX_BYTES,
      }),
    }),
    verify: Object.freeze({
      secret: e.VERIFY_SECRET ?? createHash('sha256').update(`verify:${e.ADMIN_KEY}`).digest('hex'),
      whatsappTemplate: e.VERIFY_WHATSAPP_TEMPLATE,
    }),
    links: Object.freeze({
      baseUrl: (e.LINKS_BASE_URL ?? e.PUBLIC_BASE_URL)?.replace(/\/+$/, '') || undefined,
      secret: e.LINKS_VISITOR_SECRET ?? createHash('sha256').update(`links:${e.ADMIN_KEY}`).digest('hex'),
      cacheSize: e.LINKS_CACHE_SIZE,
      claimIdleMs: e.LINKS_CLAIM_IDLE_MS,
      deliveredCacheMs: e.LINKS_DELIVERED_CACHE_MS,
    }),
    publicBaseUrl: e.PUBLIC_BASE_URL || undefined,
    logLevel: e.LOG_LEVEL,
    startPrivateRedis: e.START_PRIVATE_REDIS,
  });
}

function smppTls(port: number | undefined, keyFile: string | undefined, certFile: string | undefined): Config['smppServerTls'] {
  if (port === undefined && !keyFile && !certFile) return undefined;
  if (port === undefined || !keyFile || !certFile) {
    throw new Error('Invalid configuration: SMPP_SERVER_TLS_PORT, SMPP_SERVER_TLS_KEY_FILE and SMPP_SERVER_TLS_CERT_FILE go together');
  }
  return Object.freeze({ port, keyFile, certFile });
}
