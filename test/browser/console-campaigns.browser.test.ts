/**
 * The console's campaign pages in headless Chromium: log in, load a recipient CSV through the file
 * field (the page's script puts it into the textarea), send the campaign, land on its page; then a
 * recipient follows the link in their text and the click shows on the campaign's chart and totals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_SKIP_NOTE, chromiumMissing, useChromium } from '../support/chromium.js';
import { engines } from '../support/databases.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../support/card-fixtures.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

// Headless Chromium says "HeadlessChrome", which the click tracker rightly counts as a bot: browse as a phone.
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe.skipIf(chromiumMissing)(`console campaign pages in headless Chromium ${CHROMIUM_SKIP_NOTE}`, () => {
  const browser = useChromium();

  describe.each(engines)('on %s', (engine) => {
    let t: TestPlatform;
    let base: string;
    let acc: Awaited<ReturnType<typeof createFundedAccount>>;
    let templateId: string;

    beforeAll(async () => {
      // Delivered counts uncached, so the click rate reflects the receipts at once.
      t = await startTestPlatform(engine, { LINKS_DELIVERED_CACHE_MS: '0' });
      base = `http://127.0.0.1:${t.platform.ports.api}`;
      acc = await createFundedAccount(t);
      const tpl = (await t.api.post('/v1/cards/templates').set(acc.auth).send({ name: 'Spring coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }).expect(201)).body;
      await t.api.post(`/v1/cards/templates/${tpl.id}/submit`).set(acc.auth).expect(200);
      await t.api.post(`/v1/admin/cards/templates/${tpl.id}/approve`).set(acc.admin).send({ operator: 'alice' }).expect(200);
      templateId = tpl.id;
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('when a marketer sends a campaign and a recipient clicks their link, then the click shows on the campaign chart and totals', async () => {
      // Arrange
      const context = await browser().newContext({ userAgent: IPHONE });
      const page = await context.newPage();
      const scriptErrors: string[] = [];
      page.on('pageerror', (e) => scriptErrors.push(e.message));
      try {
        await page.goto(`${base}/console/login`);
        await page.fill('#apiKey', acc.key);
        await page.click('button[type=submit]');
        await page.click('nav a:has-text("Campaigns")');
        expect(await page.textContent('[data-test=campaigns-table] tbody')).toContain('No campaigns yet');

        // Act: a new campaign from a CSV file (header row, a quoted value with a comma).
        await page.click('[data-test=new-campaign]');
        await page.selectOption('#templateId', templateId);
        await page.fill('#campaignName', 'Browser spring');
        const csv = 'to,name,amount,code,expiry\r\n13800138000,Li Lei,20,LI20,2030-06-30\r\n13800138006,"Han, Meimei",20,HAN20,2030-06-30\r\n';
        await page.setInputFiles('#recipients-file', { name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) });
        await expect.poll(() => page.inputValue('#recipients')).toBe(csv.replace(/\r\n/g, '\n'));
        expect(await page.textContent('[data-file-status]')).toContain('list.csv: 3 lines loaded');
        await page.click('[data-test=send]');

        // Assert: on the campaign's page, with the send's summary.
        expect(new URL(page.url()).pathname).toMatch(/^\/console\/campaigns\/cmp_/);
        const campaignId = new URL(page.url()).pathname.split('/').pop()!;
        expect(await page.textContent('[data-test=send-summary]')).toContain('Sent: 2 accepted, 0 rejected.');
        expect(await page.textContent('h1')).toBe('Browser spring');

        // Act: Han Meimei's iPhone opens the link of her text (the parse link hops to her short link).
        const texts = (await t.api.get('/v1/messages').set(acc.auth).expect(200)).body.data as Array<{ to: string; text: string }>;
        const han = texts.find((m) => m.to === '+8613800138006')!;
        const parseLink = /(http:\/\/\S+\/p\/\S+)/.exec(han.text)![1];
        const hop = await fetch(parseLink, { redirect: 'manual' });
        const card = await context.newPage();
        await card.goto(hop.headers.get('location')!);
        expect(await card.textContent('body')).toContain('HAN20');
        await waitFor(async () => {
          const r = (await t.api.get('/v1/reports/clicks').query({ campaign: campaignId, from: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), until: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10) }).set(acc.auth).expect(200)).body;
          return r.rows[0]?.pv >= 1 && r.rows[0].delivered === 2;
        });
        await page.reload();

        // Assert: the totals and the chart's two lines show the click.
        const total = (name: string) => page.textContent(`[data-total=${name}]`).then((s) => s!.trim());
        expect([await total('delivered'), await total('pv'), await total('uv'), await total('clickRate')]).toEqual(['2', '1', '1', '50.0%']);
        expect(await page.locator('[data-test=send-summary]').count()).toBe(0);
        const chart = page.locator('svg[data-chart=campaign-pv-uv]');
        expect(await chart.locator('g.legend-item text').allTextContents()).toEqual(['PV', 'UV']);
        const peak = async (series: string) => Math.max(...(await chart.locator(`g.series-line[data-series=${series}] circle title`).allTextContents()).map((s) => Number(s.split(': ').pop())));
        expect([await peak('PV'), await peak('UV')]).toEqual([1, 1]);
        expect(await page.textContent('[data-test=devices-table] tbody')).toMatch(/mobile\s*1\s*1\s*0/);
        await page.click('a:has-text("All campaigns")');
        expect(await page.textContent('[data-test=campaigns-table] tbody')).toContain('Browser spring');
        expect(scriptErrors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
