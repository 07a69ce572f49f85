/**
 * The smart-SMS pieces as the platform wires them: the simulator starts under the simulator role,
 * the service reaches it with the configured key, its links open on this machine, and the worker's
 * poller writes the parse counts without being called.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

describe.each(engines)('smart SMS in the platform on %s', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(engine, { SMART_SMS_REPORT_POLL_MS: '200' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('when a template is registered and links requested, then the links redirect to the given pages and the poller stores the counts', async () => {
    // Arrange
    const { platform } = t;
    const { id: accountId } = await createFundedAccount(t);
    const page = `http://127.0.0.1:${platform.ports.api}/s/`;
    const tpl = await platform.smartSms.registerTemplate(accountId, 'card-e2e', { cardType: 'image-text', title: 'New arrivals' }, `${page}card`);
    await waitFor(async () => (await platform.smartSms.template(accountId, tpl.providerTemplateId, { refresh: true }))?.status === 'approved');
    const recipients = Array.from({ length: 10 }, (_, i) => ({ number: `+861380000000${i}`, customUrl: `${page}r${i}` }));
    // Act
    const links = await platform.smartSms.requestLinks(accountId, tpl.providerTemplateId, recipients, { campaignId: 'camp-e2e' });
    // Assert
    expect(platform.smartSmsSimulator?.domain).toBe(`127.0.0.1:${platform.ports.smartSmsSimulator}`);
    const hop = await fetch(links.get('+8613800000003')!, { redirect: 'manual' });
    expect({ status: hop.status, location: hop.headers.get('location') }).toEqual({ status: 302, location: `${page}r3` });
    const stats = await waitFor(async () => (await platform.smartSms.campaignStats(accountId, 'camp-e2e'))[0]);
    expect(stats).toMatchObject({ providerTemplateId: tpl.providerTemplateId, sent: 10, parsed: 6, failed: 4 });
  });
});
