/**
 * The demo as a program (scripts/demo.ts passes it process.env): platform settings as for
 * `npm start`, but its own Redis key prefix and database (in-memory PGlite, or the schema
 * `sms_demo` of DATABASE_URL), no bundled simulators; runs the scenario, prints the report and where
 * to look, then keeps the platform up until Ctrl-C (or stops, with DEMO_EXIT=1).
 */
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.js';
import { connectPostgres, openPglite, type Db } from '../db/db-client.js';
import { ensureRedis } from '../infra/redis-bootstrap.js';
import { createLogger } from '../logging/logger.js';
import { SIMULATED_NOTICE, routeCountryTable, routeTable, whereToLook } from './demo-output.js';
import { runDemo, type DemoRun } from './demo-runner.js';
import { loadDemoSettings } from './demo-settings.js';

export interface DemoIo {
  out: (line: string) => void;
  /** The platform's log lines (warnings and errors unless LOG_LEVEL says otherwise). */
  log: (line: string) => void;
}

export interface DemoMainOptions {
  /** Use this database instead of opening one (tests); the caller closes it. */
  db?: Db;
  /** Resolves when the demo should stop (default: SIGINT or SIGTERM). Not awaited with DEMO_EXIT=1. */
  stopSignal?: () => Promise<void>;
}

export const DEMO_SCHEMA = 'sms_demo';

/** Runs the demo; resolves with the run once the platform is stopped again. */
export async function demoMain(env: Record<string, string | undefined>, io: DemoIo, opts: DemoMainOptions = {}): Promise<DemoRun> {
  const settings = loadDemoSettings(env);
  let config: Config = loadConfig({
    ...env,
    // API and workers only: the demo brings its own SMSCs, and a running `npm start` keeps its ports.
    ROLES: 'api,worker',
    // Keys of its own, wiped at start and stop, so a run never sees another's anti-bombing counters.
    REDIS_PREFIX: `${env.REDIS_PREFIX || 'sms'}-demo`,
    LOG_LEVEL: env.LOG_LEVEL || 'warn',
  });
  const logger = createLogger(config.logLevel, { component: 'demo' }, io.log);
  const redis = config.startPrivateRedis === 'auto' ? await ensureRedis(config.redisUrl) : { url: config.redisUrl };
  if (redis.note) io.out(`Note: ${redis.note}`);
  let port = config.port;
  if (port !== 0 && !(await portFree(config.host, port))) {
    io.out(`Note: port ${port} is taken (is \`npm start\` running?); the demo's API takes a free port instead.`);
    port = 0;
  }
  config = Object.freeze({ ...config, redisUrl: redis.url, port });
  await wipeKeys(config);
  const db = opts.db ?? (config.databaseUrl ? await connectPostgres(config.databaseUrl, { schema: DEMO_SCHEMA }) : await openPglite());

  io.out('');
  for (const line of SIMULATED_NOTICE) io.out(line);
  io.out('');
  io.out(`Database: ${opts.db ? 'given by the caller' : config.databaseUrl ? `schema ${DEMO_SCHEMA} of DATABASE_URL` : 'PGlite in memory (gone when the demo stops)'}; Redis: ${redis.url} (prefix ${config.redisPrefix})`);
  let run: DemoRun;
  try {
    run = await runDemo({ config, logger, settings, db, out: io.out });
  } catch (err) {
    await closeAll(config, opts.db ? undefined : db, redis.child);
    throw err;
  }

  io.out('');
  if (!run.settled) io.out('Warning: gave up waiting for some receipts or checks; the figures below may still move.');
  if (run.startErrors) io.out(`Warning: ${run.startErrors} verification(s) could not be started (see above).`);
  io.out(`Done in ${Math.round(run.elapsedMs / 1000)} s. Backfill rate = codes entered ÷ codes sent; "designed" = delivery odds × entry odds of the simulation.`);
  io.out(`Times to verify are as measured: simulated time ran ×${settings.speed} faster than life.`);
  io.out('');
  io.out('By route:');
  for (const line of routeTable(run.byRoute)) io.out(`  ${line}`);
  io.out('');
  io.out('By route and country:');
  for (const line of routeCountryTable(run.byRouteAndCountry)) io.out(`  ${line}`);
  io.out('');
  io.out('Read the same report yourself:');
  for (const line of whereToLook({ baseUrl: run.baseUrl, apiKey: run.apiKey, ...run.period })) io.out(`  ${line}`);
  io.out('');

  if (!settings.exitWhenDone) {
    io.out('The platform keeps running (API and console above); press Ctrl-C to stop it. DEMO_EXIT=1 exits at once.');
    await (opts.stopSignal ?? untilSignal)();
    io.out('Stopping…');
  }
  await run.stop();
  await closeAll(config, opts.db ? undefined : db, redis.child);
  return run;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function closeAll(config: Config, db: Db | undefined, redisChild: { kill(): boolean } | undefined): Promise<void> {
  await db?.close();
  await wipeKeys(config).catch(() => undefined);
  redisChild?.kill();
}

/** Deletes this demo's Redis keys (its prefix is the demo's alone). */
async function wipeKeys(config: Config): Promise<void> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redisPrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}
