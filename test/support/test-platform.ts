/**
 * Starts the whole platform in-process for API tests: ephemeral API and simulator ports, a fresh
 * database (PGlite or a server schema), a Redis key prefix of its own.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createPlatform, type Platform, type PlatformOptions } from '../../src/platform.js';
import { openTestDb, type Engine } from './databases.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestPlatform {
  platform: Platform;
  api: ReturnType<typeof request>;
  stop(): Promise<void>;
}

/** options: components the test supplies itself (e.g. the console's report source). */
export async function startTestPlatform(engine: Engine, env: Record<string, string> = {}, options: Pick<PlatformOptions, 'backfillReports'> = {}): Promise<TestPlatform> {
  const db = await openTestDb(engine);
  const config = loadConfig({
    PORT: '0',
    SIMULATOR_PORT: '0',
    SMPP_SERVER_PORT: '0',
    SIMULATOR_RECEIPT_DELAY_MS: '20',
    // The bundled WhatsApp simulator: any free port, quick statuses in order, no pair limit (tests
    // send several messages to one number; the limits have tests of their own).
    WHATSAPP_SIMULATOR_PORT: '0',
    WHATSAPP_SIMULATOR_STATUS_DELAY_MS: '20',
    WHATSAPP_SIMULATOR_STATUS_ORDER: 'in-order',
    WHATSAPP_SIMULATOR_PAIR_INTERVAL_MS: '0',
    // The bundled smart-SMS simulator: any free port, quick review and reports.
    SMART_SMS_SIMULATOR_PORT: '0',
    SMART_SMS_SIMULATOR_REVIEW_DELAY_MS: '50',
    SMART_SMS_SIMULATOR_REPORT_DELAY_MS: '0',
    // The bundled MaaP (5G) simulator: any free port, quick statuses.
    RCS_SIMULATOR_PORT: '0',
    RCS_SIMULATOR_STATUS_DELAY_MS: '20',
    // The bundled MMS gateway simulator: any free port, quick reports, read often.
    MMS_SIMULATOR_PORT: '0',
    MMS_SIMULATOR_REPORT_DELAY_MS: '20',
    MMS_REPORT_POLL_MS: '50',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
    ADMIN_KEY,
    ...env,
  });
  // Errors reach stderr so a failing test shows why; TEST_LOG=debug shows everything.
  const logger = createLogger((process.env.TEST_LOG as 'debug') ?? 'error', {}, (line) => void process.stderr.write(line + '\n'));
  const platform = await createPlatform({ config, logger, db, ...options });
  await platform.start();
  return {
    platform,
    api: request(platform.app),
    async stop() {
      // Workers first (they may still be finishing a job), then the keys they used.
      await platform.stop();
      await db.close();
      const redis = new Redis(config.redisUrl);
      const keys = await redis.keys(`${config.redisPrefix}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
    },
  };
}

/** Creates an account with an approved signature and a balance; returns its key. */
export async function createFundedAccount(t: TestPlatform, body: Record<string, unknown> = {}) {
  const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
  // Marketing may go out at any hour in tests (start = end means all day), so results don't
  // depend on the time the suite runs; the window has tests of its own.
  const created = await t.api.post('/v1/admin/accounts').set(admin)
    .send({ name: 'Acme', extension: '01', settings: { marketingWindow: { start: '00:00', end: '00:00' } }, ...body }).expect(201);
  const key = created.body.apiKey as string;
  const id = created.body.account.id as string;
  const auth = { Authorization: `Bearer ${key}` };
  await t.api.post('/v1/signatures').set(auth).send({ name: '阿里云' }).expect(201);
  await t.api.put(`/v1/admin/accounts/${id}/signatures/${encodeURIComponent('阿里云')}`).set(admin).send({ status: 'approved' }).expect(200);
  await t.api.post(`/v1/admin/accounts/${id}/topup`).set(admin).send({ amountMillis: 1_000_000 }).expect(200);
  return { id, key, auth, admin };
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
