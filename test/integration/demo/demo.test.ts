import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoMain } from '../../../src/demo/demo-main.js';
import { engines, openTestDb } from '../../support/databases.js';

/** The demo's environment: small and fast, its own Redis prefix, any free port. */
const demoEnv = (extra: Record<string, string>) => ({
  DEMO_SEED: '1',
  PORT: '0',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
  ADMIN_KEY: 'test-admin-key-0123456789',
  ...extra,
});

describe.each(engines)('npm run demo on %s', (engine) => {
  it('when the demo runs with DEMO_EXIT=1, then its backfill report has both routes, the direct one well above the mixed one, and matches what the simulators and the crowd did', async () => {
    // Arrange
    const db = await openTestDb(engine);
    const out: string[] = [];
    try {
      // Act
      const run = await demoMain(demoEnv({ DEMO_VERIFICATIONS: '200', DEMO_SPEED: '60', DEMO_EXIT: '1' }), { out: (l) => out.push(l), log: (l) => out.push(l) }, { db });

      // Assert: every receipt and check reached the report, and it adds up to what happened.
      expect(run.settled).toBe(true);
      expect(run.startErrors).toBe(0);
      const direct = run.byRoute.rows.find((r) => r.route === 'demo-direct')!;
      const mixed = run.byRoute.rows.find((r) => r.route === 'demo-mixed')!;
      expect(run.byRoute.rows).toHaveLength(2);
      expect(direct.sent + mixed.sent).toBe(200);
      expect([direct.sent, direct.delivered]).toEqual([run.tally['demo-direct'].accepted, run.tally['demo-direct'].delivered]);
      expect([mixed.sent, mixed.delivered]).toEqual([run.tally['demo-mixed'].accepted, run.tally['demo-mixed'].delivered]);
      expect(run.byRoute.totals.verified).toBe(run.crowd.approved);
      // Seeded simulators and crowd: for any split of 200 codes a Math.random router can produce
      // (60–140 per route), direct lies in 74–82 % and mixed in 47–58 % (computed from the seeds).
      expect(direct.backfillRate!).toBeGreaterThan(0.7);
      expect(mixed.backfillRate!).toBeLessThan(0.62);
      expect(direct.backfillRate! - mixed.backfillRate!).toBeGreaterThan(0.15);
      expect(direct.deliveryRate!).toBeGreaterThan(mixed.deliveryRate!);
      // Five countries on each route.
      expect(new Set(run.byRouteAndCountry.rows.map((r) => `${r.route}:${r.country}`)).size).toBe(10);
      // The printout: simulated, both tables, and where to look with the real key.
      const text = out.join('\n');
      expect(text).toContain('EVERYTHING HERE IS SIMULATED');
      expect(text).toMatch(/demo-direct\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+[\d.]+%/);
      expect(text).toContain(`Authorization: Bearer ${run.apiKey}`);
      expect(text).toContain(`${run.baseUrl}/console/reports/backfill?from=`);
    } finally {
      await db.close();
    }
  });
});

describe('npm run demo left running', () => {
  it('when the demo keeps the platform up, then the printed JSON, CSV and console addresses answer', async () => {
    // Arrange
    const db = await openTestDb('pglite');
    const out: string[] = [];
    const answers: Record<string, { status: number; body: string; type: string | null }> = {};
    const get = async (name: string, url: string, headers: Record<string, string> = {}) => {
      const res = await fetch(url, { headers, redirect: 'manual' });
      answers[name] = { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
    };
    try {
      // Act: read the addresses off the printout while the platform still runs.
      await demoMain(demoEnv({ DEMO_VERIFICATIONS: '40', DEMO_SPEED: '100' }), { out: (l) => out.push(l), log: (l) => out.push(l) }, {
        db,
        stopSignal: async () => {
          const key = /API key of the demo account: (\S+)/.exec(out.join('\n'))![1];
          const auth = { Authorization: `Bearer ${key}` };
          await get('json', /JSON: +curl -sS "([^"]+)"/.exec(out.join('\n'))![1], auth);
          await get('csv', /CSV: +curl -sS "([^"]+)"/.exec(out.join('\n'))![1], { ...auth, Accept: 'text/csv' });
          await get('console', /Console: +(\S+)/.exec(out.join('\n'))![1]);
        },
      });

      // Assert
      expect(out.join('\n')).toContain('press Ctrl-C to stop it');
      expect(answers.json.status).toBe(200);
      expect(JSON.parse(answers.json.body).rows.map((r: { route: string }) => r.route)).toContain('demo-direct');
      expect(answers.csv).toMatchObject({ status: 200, type: expect.stringContaining('text/csv') });
      expect(answers.csv.body.split('\r\n')[0]).toMatch(/^route,day,attempts,sent,delivered,verified,backfillRate/);
      // Without a session the console sends the browser to its login page.
      expect(answers.console.status).toBeGreaterThanOrEqual(300);
      expect(answers.console.status).toBeLessThan(400);
    } finally {
      await db.close();
    }
  });
});
