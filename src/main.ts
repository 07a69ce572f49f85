/**
 * Entry point: `npm start`. Runs the roles named in ROLES (default all: api, worker, the customer
 * SMPP server and the SMSC simulator) in this one process, with PGlite unless DATABASE_URL is set.
 */
import { loadConfig } from './config.js';
import { createLogger } from './logging/logger.js';
import { ensureRedis } from './infra/redis-bootstrap.js';
import { createPlatform } from './platform.js';

async function main() {
  let config = loadConfig();
  const logger = createLogger(config.logLevel);
  const redis = config.startPrivateRedis === 'auto' ? await ensureRedis(config.redisUrl) : { url: config.redisUrl };
  if (redis.note) logger.warn(redis.note);
  config = Object.freeze({ ...config, redisUrl: redis.url });
  const platform = await createPlatform({ config, logger });
  await platform.start();

  const base = `http://${config.host}:${platform.ports.api ?? config.port}`;
  logger.info('platform started', {
    roles: config.roles.join(','),
    database: config.databaseUrl ? 'PostgreSQL server (DATABASE_URL)' : `embedded PGlite in ${config.pgliteDir}`,
    redis: redis.url,
  });
  if (platform.ports.api) {
    console.log(`\n  API      ${base}/v1\n  Docs     ${base}/docs   (OpenAPI: ${base}/openapi.json)`);
  }
  if (platform.ports.smpp) {
    console.log(`  SMPP     smpp://${config.smppServerHost}:${platform.ports.smpp}   (customers bind here; credentials: PUT /v1/admin/accounts/{id}/smpp-credentials/{systemId})`);
  }
  if (platform.ports.simulator) {
    console.log(`  SMSC SIMULATOR (not a carrier: outcomes decided by the number's last digit) smpp://127.0.0.1:${platform.ports.simulator}`);
  }
  if (platform.ports.whatsappSimulator) {
    console.log(`  WHATSAPP SIMULATOR (not WhatsApp: Cloud API shape, outcomes by the number's last digit) http://127.0.0.1:${platform.ports.whatsappSimulator}`);
  }
  if (platform.smartSmsSimulator) {
    console.log(`  SMART-SMS SIMULATOR (not a provider: numbers ending in [${config.smartSms.simulator.capableDigits}] render cards) ${platform.smartSmsSimulator.url}`);
  }
  if (platform.maapSimulator) {
    console.log(`  5G MAAP SIMULATOR (not a carrier: capability and statuses by the number's last digit, ${config.rcs.simulator.rules}) ${platform.maapSimulator.url}`);
  }
  if (platform.mmsSimulator) {
    console.log(`  MMS GATEWAY SIMULATOR (not a carrier: delivery by the number's last digit) ${platform.mmsSimulator.url}`);
  }
  if (config.adminKey === 'dev-admin-key-change-me') console.log('  Admin key: dev-admin-key-change-me (set ADMIN_KEY in production)\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await platform.stop().catch((err) => logger.error('shutdown error', { err }));
    redis.child?.kill();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
