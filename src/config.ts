/**
 * The only reader of process.env. Everything else receives a typed, frozen Config.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';

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
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  PUBLIC_BASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  START_PRIVATE_REDIS: z
    .enum(['auto', 'never'])
    .default('auto'),
});

export type Role = (typeof roleNames)[number];

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
  readonly callbackTimeoutMs: number;
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
    callbackTimeoutMs: e.CALLBACK_TIMEOUT_MS,
    publicBaseUrl: e.PUBLIC_BASE_URL || undefined,
    logLevel: e.LOG_LEVEL,
    startPrivateRedis: e.START_PRIVATE_REDIS,
  });
}
