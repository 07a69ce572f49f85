/**
 * The console's fallback report in headless Chromium, on the bundled simulators: a card campaign
 * down [rcs, smart_sms, sms] and a plain chain send; the campaign page's "Channels" section and the
 * Fallback page must show, step by step, the numbers counted by hand from GET /v1/messages/:id,
 * in the table and in the bar chart.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_SKIP_NOTE, chromiumMissing, useChromium } from '../support/chromium.js';
import { engines } from '../support/databases.js';
import { handCount, readAgreeing, useChainSends, type SendView } from '../support/fallback-sends.js';

const LABELS: Record<string, string> = { rcs: '5G message', smart_sms: 'Smart SMS', sms: 'SMS' };

/** The step table as numbers: [step, channel, attempted, delivered, succeeded, fellBack, failedLast, pending] per row, and the reasons. */
const stepRows = (page: Page, scope: string) => page.$$eval(`${scope} [data-test=fallback-steps] tbody tr[data-step]`, (trs) => trs.map((tr) => {
  const cell = (c: string) => tr.querySelector(`[data-col=${c}]`)!.textContent!.trim();
  const lead = (c: string) => Number(cell(c).split(' ')[0]);
  return {
    numbers: [Number(tr.getAttribute('data-step')), tr.getAttribute('data-channel'), lead('attempted'), lead('delivered'), lead('succeeded'), lead('fellBack'), lead('failedLast'), lead('pending')],
    reasons: cell('fellBackReasons'),
  };
}));

const expectedRows = (sends: SendView[]) => handCount(sends).map((e) => ({
  numbers: [e.step + 1, e.channel, e.attempted, e.delivered, e.succeeded, e.fellBack, e.failedLast, e.pending],
  reasons: Object.keys(e.fellBackBy).length ? Object.entries(e.fellBackBy).map(([r, n]) => `${r.replace('_', ' ')} ${n}`).join(', ') : '—',
}));

describe.skipIf(chromiumMissing)(`console fallback report in headless Chromium ${CHROMIUM_SKIP_NOTE}`, () => {
  const browser = useChromium();

  describe.each(engines)('on %s', (engine) => {
    const fx = useChainSends(engine);

    it('when the campaign page and the Fallback page are opened, then their step tables and charts show the hand count', async () => {
      const { t, acc, campaignId, campaignSends, plain } = fx;
      const base = `http://127.0.0.1:${t.platform.ports.api}`;
      const context = await browser().newContext();
      const page = await context.newPage();
      const scriptErrors: string[] = [];
      page.on('pageerror', (e) => scriptErrors.push(e.message));
      try {
        await page.goto(`${base}/console/login`);
        await page.fill('#apiKey', acc.key);
        await page.click('button[type=submit]');

        // The campaign page: its Channels section, read while the sends' statuses hold still.
        const { sends, report: shown } = await readAgreeing(t, acc, campaignSends.map((s) => s.id), async () => {
          await page.goto(`${base}/console/campaigns/${encodeURIComponent(campaignId)}`);
          return stepRows(page, '[data-test=campaign-channels]');
        });
        expect(shown).toEqual(expectedRows(sends));
        expect(shown.map((r) => r.numbers[1])).toEqual(['rcs', 'smart_sms', 'sms']);
        const total = (name: string) => page.textContent(`[data-test=campaign-channels] [data-fallback-total=${name}]`).then((s) => Number(s!.trim()));
        expect([await total('sends'), await total('succeeded'), await total('failed')])
          .toEqual([6, sends.filter((s) => s.status === 'succeeded').length, sends.filter((s) => s.status === 'failed').length]);
        // The bars carry the same numbers.
        const bars = await page.$$eval('svg[data-chart=campaign-channels-chart] rect', (rs) => rs.map((r) => [r.getAttribute('data-category'), r.getAttribute('data-series'), Number(r.getAttribute('data-value'))]));
        const counted = handCount(sends);
        expect(bars).toEqual(counted.flatMap((e) => {
          const category = `${e.step + 1} · ${LABELS[e.channel]}`;
          return [[category, 'Attempted', e.attempted], [category, 'Delivered', e.delivered], [category, 'Fell back', e.fellBack]];
        }));
        expect(await page.locator('svg[data-chart=campaign-channels-chart] g.legend-item text').allTextContents()).toEqual(['Attempted', 'Delivered', 'Fell back']);

        // The Fallback page: every send of the last 7 days (the campaign's and the plain one), then notifications only.
        await page.click('nav a:has-text("Fallback")');
        expect(new URL(page.url()).pathname).toBe('/console/reports/fallback');
        const all = await readAgreeing(t, acc, [...campaignSends, plain].map((s) => s.id), async () => {
          await page.reload();
          return { rows: await stepRows(page, ''), sends: Number((await page.textContent('[data-fallback-total=sends]'))!.trim()) };
        });
        expect(all.report.sends).toBe(7);
        expect(all.report.rows).toEqual(expectedRows(all.sends));
        await page.selectOption('#category', 'notification');
        await page.click('form.filters button[type=submit]');
        expect(await stepRows(page, '')).toEqual(expectedRows([all.sends.find((s) => s.id === plain.id)!]));
        expect(await page.getAttribute('[data-test=csv-link]', 'href')).toContain('category=notification');
        expect(scriptErrors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
