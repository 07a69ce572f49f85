/**
 * `npm run demo`, minus the printing: starts the platform in this process, two simulated upstream
 * routes (SMSC simulators with route profiles) registered as channels in an account's otp pool,
 * runs verifications to five countries while a synthetic crowd types the codes it received, waits
 * for the stragglers and reads the backfill report back from the API.
 *
 * Everything is simulated: the SMSCs are local simulators, the recipients are a seeded generator.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/db-client.js';
import type { Logger } from '../logging/logger.js';
import { createPlatform, type Platform } from '../platform.js';
import { startSmscSimulator, type SmscSimulator } from '../channels/smpp/smsc-simulator.js';
import type { BackfillReport } from '../verify/backfill-report.js';
import { DemoApi } from './demo-api.js';
import {
  DEMO_COUNTRIES, DEMO_ROUTES, MISTYPE_RATIO, STARTS_PER_SIMULATED_SECOND, THINK_TIME_MS, demoRecipients, scaledProfile,
} from './demo-scenario.js';
import type { DemoSettings } from './demo-settings.js';
import { SyntheticUser, type SyntheticUserStats } from './synthetic-user.js';

export interface DemoRunOptions {
  /** Platform configuration (roles api and worker are enough; the demo brings its own SMSCs). */
  config: Config;
  logger: Logger;
  settings: DemoSettings;
  /** The database the platform uses (the caller opens and closes it). */
  db: Db;
  /** Progress lines. */
  out: (line: string) => void;
}

/** Per route: what the simulated SMSC accepted and delivered (the report must come to the same). */
export interface RouteTally {
  accepted: number;
  delivered: number;
}

export interface DemoRun {
  platform: Platform;
  baseUrl: string;
  accountId: string;
  apiKey: string;
  /** Whole UTC days covering the run: `from` inclusive, `until` exclusive (the API's period). */
  period: { from: string; until: string; lastDay: string };
  byRoute: BackfillReport;
  byRouteAndCountry: BackfillReport;
  tally: Record<string, RouteTally>;
  crowd: SyntheticUserStats;
  /** Verifications the API refused to start (none expected). */
  startErrors: number;
  /** Every receipt and every check reached the report before the demo stopped waiting. */
  settled: boolean;
  elapsedMs: number;
  stop(): Promise<void>;
}

const MAX_IN_FLIGHT = 64;
const PROGRESS_EVERY_MS = 5_000;
const day = (d: Date) => d.toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDemo(opts: DemoRunOptions): Promise<DemoRun> {
  const { config, settings, out } = opts;
  const startedAt = Date.now();
  const tally: Record<string, RouteTally> = Object.fromEntries(DEMO_ROUTES.map((r) => [r.channelId, { accepted: 0, delivered: 0 }]));
  const verificationOf = new Map<string, string>();
  let apiKey = '';
  let api: DemoApi | undefined;
  const scale = (ms: number) => ms / settings.speed;
  const user = new SyntheticUser({
    entryProbability: Object.fromEntries(DEMO_ROUTES.map((r) => [r.channelId, r.entryProbability])),
    thinkTimeMs: { min: scale(THINK_TIME_MS.min), max: scale(THINK_TIME_MS.max) },
    mistypeRatio: MISTYPE_RATIO,
    seed: settings.seed,
    verificationFor: (destination) => verificationOf.get(destination),
    check: (id, code) => api!.check(apiKey, id, code),
    onError: (err) => opts.logger.warn('demo: a check failed', { err }),
  });

  const sims: SmscSimulator[] = [];
  let platform: Platform | undefined;
  const stop = async () => {
    user.stop();
    await platform?.stop();
    for (const s of sims) await s.stop();
  };
  try {
    for (const r of DEMO_ROUTES) {
      const hook = user.handsetsOf(r.channelId);
      sims.push(await startSmscSimulator({
        profile: { ...scaledProfile(r.profile, settings.speed), seed: r.profile.seed! + settings.seed },
        onAccepted: (d) => {
          // Per message, as the report counts: a long message's parts share one outcome.
          if (!d.part || d.part.seq === 1) {
            tally[r.channelId].accepted++;
            if (d.stat === 'DELIVRD') tally[r.channelId].delivered++;
          }
          hook(d);
        },
      }));
    }
    platform = await createPlatform({ config, logger: opts.logger, db: opts.db });
    await platform.start();
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const client = new DemoApi(`http://${host}:${platform.ports.api}`, config.adminKey);
    api = client;
    const account = await setUp(client, sims);
    apiKey = account.apiKey;
    await waitUntil(() => sims.every((s) => s.stats.binds > 0), 15_000, 'the platform to bind to both simulated routes');

    const recipients = demoRecipients(settings.verifications, settings.seed);
    const startsPerMs = (STARTS_PER_SIMULATED_SECOND * settings.speed) / 1000;
    // The slowest receipt plus the slowest typist (a mistyper takes longer), in real time.
    const slowest = Math.max(...DEMO_ROUTES.map((r) => r.profile.tail?.maxMs ?? r.profile.receiptDelayMs.max));
    const patienceMs = scale(slowest + THINK_TIME_MS.max * 2) + 20_000;
    // Codes stay valid well beyond that (the API allows 60–3,600 s).
    const ttlSeconds = Math.min(3_600, Math.max(600, Math.ceil(patienceMs / 1000) + 300));
    out(`Sending ${recipients.length} verification codes over ~${Math.round(recipients.length / startsPerMs / 1000)} s (simulated time runs ×${settings.speed})…`);
    let startErrors = 0;
    let nextProgress = Date.now() + PROGRESS_EVERY_MS;
    const inFlight = new Set<Promise<void>>();
    const t0 = Date.now();
    const progress = (started: number) => out(
      `  ${String(Math.round((Date.now() - startedAt) / 1000)).padStart(3)} s  started ${started}/${recipients.length}` +
      ` · delivered ${DEMO_ROUTES.reduce((n, r) => n + tally[r.channelId].delivered, 0)} · codes entered ${user.stats.approved}`,
    );
    for (let i = 0; i < recipients.length; i++) {
      const due = t0 + i / startsPerMs;
      if (due > Date.now()) await sleep(due - Date.now());
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const r = recipients[i];
      const p: Promise<void> = client.startVerification(apiKey, r.to, r.locale, ttlSeconds)
        .then((v) => void verificationOf.set(r.to.slice(1), v.id))
        .catch((err) => {
          if (startErrors++ === 0) out(`  a verification could not start: ${err instanceof Error ? err.message : String(err)}`);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (Date.now() >= nextProgress) {
        progress(i + 1);
        nextProgress += PROGRESS_EVERY_MS;
      }
    }
    await Promise.all(inFlight);

    // Stragglers: the slowest receipts and the slowest typists, then the report catching up.
    out('All codes sent; waiting for late receipts and late typists…');
    const period = { from: day(new Date(startedAt)), until: '', lastDay: '' };
    const query = (groupBy: string) => {
      const last = new Date();
      period.lastDay = day(last);
      period.until = day(new Date(last.getTime() + 86_400_000));
      return `from=${period.from}&until=${period.until}&groupBy=${groupBy}`;
    };
    const settledBy = Date.now() + patienceMs;
    let byRoute: BackfillReport;
    let settled = false;
    for (;;) {
      byRoute = await client.backfill(apiKey, query('route'));
      settled = user.pending === 0 && DEMO_ROUTES.every((r) => {
        const row = byRoute.rows.find((x) => x.route === r.channelId);
        return (row?.sent ?? 0) === tally[r.channelId].accepted && (row?.delivered ?? 0) === tally[r.channelId].delivered;
      }) && byRoute.totals.verified === user.stats.approved;
      if (settled || Date.now() > settledBy) break;
      if (Date.now() >= nextProgress) {
        progress(recipients.length);
        nextProgress += PROGRESS_EVERY_MS;
      }
      await sleep(250);
    }
    const byRouteAndCountry = await client.backfill(apiKey, query('route,country'));
    return {
      platform, baseUrl: client.baseUrl, accountId: account.id, apiKey, period, byRoute, byRouteAndCountry, tally,
      crowd: { ...user.stats }, startErrors, settled, elapsedMs: Date.now() - startedAt, stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** Channels for both simulators, an account with a balance, and its otp pool over both. */
async function setUp(api: DemoApi, sims: SmscSimulator[]): Promise<{ id: string; apiKey: string }> {
  const countries = DEMO_COUNTRIES.map((c) => c.country);
  for (const [i, r] of DEMO_ROUTES.entries()) {
    await api.admin('PUT', `/v1/admin/channels/${r.channelId}`, {
      name: r.name, host: '127.0.0.1', port: sims[i].port, systemId: 'demo', password: 'demo',
      sourceAddress: 'VERIFY', windowSize: 100, submitsPerSecond: 2_000, countries, enabled: true,
    });
  }
  // Early-failure resends off: each code stays on the route that was picked for it, so each
  // route's figures are that route's alone.
  const created = await api.admin<{ account: { id: string }; apiKey: string }>('POST', '/v1/admin/accounts', {
    name: 'Demo OTP customer (simulated)', categories: ['otp'], settings: { dailyResendCap: 0 },
  });
  const id = created.account.id;
  await api.admin('POST', `/v1/admin/accounts/${id}/topup`, { amountMillis: 100_000_000, reason: 'demo' });
  await api.admin('PUT', `/v1/admin/accounts/${id}/pools/otp`, {
    channels: DEMO_ROUTES.map((r) => ({ channelId: r.channelId, weight: r.weight, role: 'primary' })),
  });
  return { id, apiKey: created.apiKey };
}

async function waitUntil(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}
