/**
 * The console's card editor in headless Chromium (Debian's `chromium`, driven by playwright-core):
 * log in, build a coupon card with two buttons (open a URL, copy the code) from the schema-driven
 * form, watch the live preview (Android card, iPhone text + H5 page, plain text), upload an image
 * generated with sharp, save, submit for review, get it approved through the admin API, and see
 * the status change. The page's CSP must let all of it run without a single violation.
 */
import sharp from 'sharp';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_SKIP_NOTE, chromiumMissing, useChromium } from '../support/chromium.js';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../support/test-platform.js';


/** The document inside a preview frame, once it shows `text`. */
async function frameShowing(page: Page, selector: string, text: string): Promise<Frame> {
  const handle = await page.waitForSelector(`${selector} iframe`);
  const frame = (await handle.contentFrame())!;
  await frame.waitForFunction((t) => document.body?.textContent?.includes(t), text, { timeout: 5_000 });
  return frame;
}

describe.skipIf(chromiumMissing)(`console card editor in headless Chromium ${CHROMIUM_SKIP_NOTE}`, () => {
  const browser = useChromium();

  describe.each(engines)('on %s', (engine) => {
    let t: TestPlatform;
    let base: string;
    let account: Awaited<ReturnType<typeof createFundedAccount>>;
    let banner: Buffer;

    beforeAll(async () => {
      t = await startTestPlatform(engine);
      base = `http://127.0.0.1:${t.platform.ports.api}`;
      account = await createFundedAccount(t);
      banner = await sharp({ create: { width: 900, height: 500, channels: 3, background: '#c0392b' } })
        .composite([{ input: Buffer.from('<svg width="900" height="500"><circle cx="450" cy="250" r="180" fill="#f1c40f"/></svg>') }])
        .png().toBuffer();
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('when a marketer builds a coupon card with two buttons and an image, then it previews on three phones, saves, submits and shows approved', async () => {
      // Arrange
      const context = await browser().newContext();
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      try {
        await page.goto(`${base}/console/cards`);
        await page.fill('#apiKey', account.key);
        await page.click('button[type=submit]');
        expect(new URL(page.url()).pathname).toBe('/console/cards');
        expect(await page.textContent('[data-test=no-templates]')).toContain('No card templates');

        // Act: a new coupon template from the list page.
        await page.selectOption('#new-type', 'coupon');
        await page.click('[data-test=new-template]');
        expect(new URL(page.url()).search).toBe('?type=coupon');
        await page.fill('#f-name', 'Spring coupon');
        await page.fill('#f-card-summary', 'Hi {{name}}, your ¥20 coupon is here');
        await page.fill('#f-card-title', '¥20 off for {{name}}');
        await page.fill('#f-card-description', 'On any order over ¥100.');
        await page.selectOption('#f-card-coupon-kind', 'coupon');
        await page.fill('#f-card-coupon-amount', '20');
        await page.fill('#f-card-coupon-currency', '¥');
        await page.fill('#f-card-coupon-code', 'SPRING20');
        await page.fill('#f-card-coupon-validUntil', '2030-06-30');
        await page.fill('[name="vars.0.name"]', 'name');
        await page.fill('[name="vars.0.value"]', 'Li Lei');
        // Buttons are added on the server (the form keeps what was typed); the script switches the action's fields.
        await page.click('[data-test="add-card.buttons"]');
        await page.fill('#f-card-buttons-0-text', 'Shop now');
        await page.fill('#f-card-buttons-0-url--openUrl', 'https://shop.acme.example/spring');
        await page.click('[data-test="add-card.buttons"]');
        await page.selectOption('#f-card-buttons-1-type', 'copyCode');
        expect(await page.isVisible('#f-card-buttons-1-url--openUrl')).toBe(false);
        await page.fill('#f-card-buttons-1-text', 'Copy code');
        await page.fill('#f-card-buttons-1-code--copyCode', 'SPRING20');

        // Assert: the live preview followed the typing, on all three phones.
        const android = await frameShowing(page, '[data-test=preview-android]', '¥20 off for Li Lei');
        expect(await android.locator('a.btn').allTextContents()).toEqual(['Shop now', 'Copy code']);
        await frameShowing(page, '[data-test=preview-iphone]', 'SPRING20');
        expect(await page.textContent('[data-test=preview-sms]')).toMatch(/^【阿里云】Hi Li Lei, your ¥20 coupon is here https:\/\/\S+$/);
        expect(await page.textContent('[data-test=preview-text] pre')).toContain('¥20 off for Li Lei');
        // The card's own script runs in the sandboxed frame: the copy button answers.
        await android.click('a.btn-copyCode');
        expect(await android.getAttribute('a.btn-copyCode', 'data-state')).toBe('copied');

        // Act: choose the image and save.
        await page.setInputFiles('#f-card-media-file', { name: 'banner.png', mimeType: 'image/png', buffer: banner });
        await page.fill('#f-card-media-alt', 'A sun on red');
        await page.click('[data-test=save]');

        // Assert: a draft, with the uploaded (resized) image on the form and in the previews.
        expect(new URL(page.url()).pathname).toMatch(/^\/console\/cards\/ctp_\w+\/edit$/);
        expect(await page.textContent('[data-test=notice]')).toContain('Template created as a draft');
        expect(await page.textContent('[data-test=status]')).toBe('Draft');
        const src = (await page.getAttribute('[data-test=media-image]', 'src'))!;
        expect(src).toMatch(/^\/m\/med_/);
        const saved = await frameShowing(page, '[data-test=preview-android]', '¥20 off for Li Lei');
        await saved.waitForFunction(() => (document.querySelector('img.media') as HTMLImageElement | null)?.naturalWidth === 900);
        expect(await saved.getAttribute('img.media', 'alt')).toBe('A sun on red');

        // Act: submit for review.
        await page.click('[data-test=submit-review]');

        // Assert
        expect(await page.textContent('[data-test=status]')).toBe('In review');
        expect(await page.isDisabled('#f-card-title')).toBe(true);

        // Act: the operator approves it (admin API); the marketer reloads.
        const id = /cards\/(ctp_\w+)\/edit/.exec(page.url())![1];
        await t.api.post(`/v1/admin/cards/templates/${id}/approve`).set(account.admin).send({ operator: 'alice' }).expect(200);
        await page.reload();

        // Assert
        expect(await page.textContent('[data-test=status]')).toBe('Approved');
        await page.click('a:has-text("Card templates")');
        expect(await page.textContent(`tr[data-template="${id}"]`)).toMatch(/Spring coupon\s+Coupon or red packet card\s+Approved/);
        expect(violations).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
