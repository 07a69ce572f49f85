/**
 * The console's backfill page in headless Chromium (Debian's `chromium`, driven by playwright-core):
 * log in with the API key, read the report table and chart for seeded attempts on two routes, change
 * the grouping, download the CSV, log out; a wrong key and a page without a session.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_SKIP_NOTE, chromiumMissing, useChromium } from '../support/chromium.js';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../support/test-platform.js';
import { seedAttempts } from '../support/verification-seed.js';

const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

const rowTexts = (page: Page, selector: string) =>
  page.$$eval(selector, (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));

describe.skipIf(chromiumMissing)(`console backfill page in headless Chromium ${CHROMIUM_SKIP_NOTE}`, () => {
  const browser = useChromium();

  describe.each(engines)('on %s', (engine) => {
    let t: TestPlatform;
    let base: string;
    let key: string;
    // Three days before today: "direct" every day, "mixed" on the first and last only (a gap in its line).
    const [d1, d2, d3] = [day(-3), day(-2), day(-1)];

    beforeAll(async () => {
      t = await startTestPlatform(engine); // the real report repository behind the console
      base = `http://127.0.0.1:${t.platform.ports.api}`;
      const account = await createFundedAccount(t);
      key = account.key;
      const other = await createFundedAccount(t, { name: 'Other', extension: '02' });
      const g = { accountId: account.id };
      await seedAttempts(t.platform.db, [
        { ...g, route: 'direct', day: d1, sent: 10, delivered: 9, verified: 8, verifySeconds: 10 },
        { ...g, route: 'direct', day: d2, sent: 10, delivered: 10, verified: 9, verifySeconds: 10 },
        { ...g, route: 'direct', day: d3, sent: 5, delivered: 5, verified: 4, verifySeconds: 10 },
        { ...g, route: 'mixed', day: d1, sent: 10, delivered: 8, verified: 5, verifySeconds: 30 },
        { ...g, route: 'mixed', day: d3, sent: 8, delivered: 6, verified: 4, verifySeconds: 30 },
        // Another tenant's attempts on the same route and days must not show.
        { accountId: other.id, route: 'direct', day: d2, sent: 50, delivered: 50, verified: 50, verifySeconds: 5 },
      ]);
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('when a customer logs in with the API key, then the report, chart, regrouping, CSV and logout work', async () => {
      // Arrange
      const context = await browser().newContext({ acceptDownloads: true });
      const page = await context.newPage();
      try {
        // Act: the console sends a visitor without a session to the login page, then back.
        await page.goto(`${base}/console`);
        expect(new URL(page.url()).pathname).toBe('/console/login');
        await page.fill('#apiKey', key);
        await page.click('button[type=submit]');

        // Assert: the report page, with the account's name in the header.
        expect(new URL(page.url()).pathname).toBe('/console/reports/backfill');
        expect(await page.textContent('[data-test=account-name]')).toBe('Acme');
        await page.fill('#from', d1);
        await page.fill('#until', d3);
        await page.click('form.filters button[type=submit]');
        expect(await rowTexts(page, '[data-test=backfill-table] tbody tr')).toEqual([
          ['direct', '25', '24', '21', '84.0%', '96.0%', '10.0 s', '10.0 s'],
          ['mixed', '18', '14', '9', '50.0%', '77.8%', '30.0 s', '30.0 s'],
        ]);
        expect(await rowTexts(page, '[data-test=backfill-table] tfoot tr')).toEqual([
          ['Total', '43', '38', '30', '69.8%', '88.4%', '10.0 s', '30.0 s'],
        ]);

        // The chart: one line per route, a legend entry each, and an accessible name.
        const chart = page.locator('svg[data-chart=backfill-by-route]');
        expect(await chart.locator('g.series-line').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')))).toEqual(['direct', 'mixed']);
        expect(await chart.locator('g.legend-item text').allTextContents()).toEqual(['direct', 'mixed']);
        const strokes = await chart.locator('g.series-line path').evaluateAll((ps) => ps.map((p) => p.getAttribute('stroke')));
        expect(new Set(strokes).size).toBe(2);
        expect(await chart.locator('g.series-line[data-series=direct] circle').count()).toBe(3);
        // "mixed" had no attempts on the middle day: two segments, not a line through a zero.
        expect(await chart.locator('g.series-line[data-series=mixed] path').getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+ M[\d.]+ [\d.]+$/);
        expect(await chart.locator('title').first().textContent()).toContain('Backfill rate by day and route');
        expect(await chart.locator('desc').textContent()).toMatch(/direct: 3 points from 80% to 90%/);

        // Act: group by day instead of route.
        await page.uncheck('input[name=groupBy][value=route]');
        await page.check('input[name=groupBy][value=day]');
        await page.click('form.filters button[type=submit]');

        // Assert
        expect(new URL(page.url()).searchParams.getAll('groupBy')).toEqual(['', 'day']);
        expect(await rowTexts(page, '[data-test=backfill-table] thead tr')).toEqual([
          ['Day (UTC)', 'Sent', 'Delivered', 'Verified', 'Backfill rate', 'Delivery rate', 'Median time to verify', 'p90 time to verify'],
        ]);
        expect((await rowTexts(page, '[data-test=backfill-table] tbody tr')).map((r) => r.slice(0, 5))).toEqual([
          [d1, '20', '17', '13', '65.0%'],
          [d2, '10', '10', '9', '90.0%'],
          [d3, '13', '11', '8', '61.5%'],
        ]);

        // Act: download the CSV of what is on screen.
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=csv-link]')]);

        // Assert: the API's columns and raw values.
        expect(download.suggestedFilename()).toBe(`backfill-${d1}-to-${d3}.csv`);
        expect(readFileSync((await download.path())!, 'utf8').split('\r\n')).toEqual([
          'day,sent,delivered,verified,backfillRate,deliveryRate,medianTimeToVerifyMs,p90TimeToVerifyMs',
          `${d1},20,17,13,0.65,0.85,10000,30000`,
          `${d2},10,10,9,0.9,1,10000,10000`,
          `${d3},13,11,8,0.6153846153846154,0.8461538461538461,20000,30000`, // the median of 4 × 10 s and 4 × 30 s
          '',
        ]);

        // Act: log out.
        await page.click('button:has-text("Log out")');

        // Assert: back on the login page, and the report is out of reach again.
        expect(new URL(page.url()).pathname).toBe('/console/login');
        expect(await page.textContent('[role=status]')).toContain('You have logged out');
        await page.goto(`${base}/console/reports/backfill`);
        expect(new URL(page.url()).pathname).toBe('/console/login');
      } finally {
        await context.close();
      }
    });

    it('when the key is wrong, then the login page says so and no session starts', async () => {
      // Arrange
      const context = await browser().newContext();
      const page = await context.newPage();
      try {
        await page.goto(`${base}/console/login`);

        // Act
        await page.fill('#apiKey', 'sk_not-a-real-key');
        await page.click('button[type=submit]');

        // Assert
        expect(await page.textContent('[data-test=login-error]')).toContain('unknown or revoked');
        expect((await context.cookies()).map((c) => c.name)).not.toContain('console_session');
      } finally {
        await context.close();
      }
    });

    it('when a page is opened without a session, then the browser lands on the login page and returns after login', async () => {
      // Arrange
      const context = await browser().newContext();
      const page = await context.newPage();
      try {
        // Act
        await page.goto(`${base}/console/reports/backfill?from=${d2}&until=${d2}&groupBy=route`);

        // Assert
        expect(new URL(page.url()).pathname).toBe('/console/login');
        await page.fill('#apiKey', key);
        await page.click('button[type=submit]');
        expect(page.url()).toBe(`${base}/console/reports/backfill?from=${d2}&until=${d2}&groupBy=route`);
        expect(await rowTexts(page, '[data-test=backfill-table] tbody tr')).toEqual([['direct', '10', '10', '9', '90.0%', '100.0%', '10.0 s', '10.0 s']]);
      } finally {
        await context.close();
      }
    });
  });
});
