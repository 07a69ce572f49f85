/**
 * SmartSmsService on a real database (PGlite, and PostgreSQL when DATABASE_URL is set) with the
 * bundled simulator behind the real adapter over HTTP: registration and review, links for a
 * campaign, aggregate parse reports into campaign_parse_stats, parse fees charged once, and
 * tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/account.repository.js';
import { ChannelError } from '../../src/channels/channel-adapter.js';
import type { Db } from '../../src/db/db-client.js';
import { AppError } from '../../src/http/app-error.js';
import { silentLogger } from '../../src/logging/logger.js';
import { SmartSmsAdapter, SMART_SMS_UPSTREAM } from '../../src/channels/smart-sms/smart-sms.adapter.js';
import { SmartSmsService } from '../../src/channels/smart-sms/smart-sms.service.js';
import { startSmartSmsSimulator, type SmartSmsSimulator } from '../../src/channels/smart-sms/smart-sms-simulator.js';
import { parseFeeFor } from '../../src/channels/smart-sms/parse-fee.js';
import type { ParseFeeDue } from '../../src/channels/smart-sms/smart-sms.repository.js';
import { engines, openTestDb } from '../support/databases.js';

const KEY = 'svc-key';
const SECRET = 'svc-secret-123';
const summary = { cardType: 'coupon', title: 'Spring sale', text: '20% off this week', buttons: [{ text: 'Get coupon', action: 'copyCode' }] };
const numbers = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `+86${prefix}${String(i).padStart(8, '0')}`);

describe.each(engines)('SmartSmsService on %s', (engine) => {
  let db: Db;
  let sim: SmartSmsSimulator;
  let svc: SmartSmsService;
  let accountA: string;
  let accountB: string;
  let approvedId: string;

  const expectAppError = async (p: Promise<unknown>, code: string, field?: string) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect({ code: (err as AppError).code, field: (err as AppError).field }).toEqual({ code, field });
  };

  beforeAll(async () => {
    db = await openTestDb(engine);
    sim = await startSmartSmsSimulator({ appKey: KEY, appSecret: SECRET, reviewDelayMs: 50, reportDelayMs: 0 });
    svc = new SmartSmsService({ db, logger: silentLogger, domain: sim.domain, adapter: new SmartSmsAdapter({ baseUrl: sim.url, appKey: KEY, appSecret: SECRET }) });
    const accounts = new AccountRepository(db);
    ({ account: { id: accountA } } = await accounts.create({ name: 'smart-a' }));
    ({ account: { id: accountB } } = await accounts.create({ name: 'smart-b' }));
    approvedId = (await svc.registerTemplate(accountA, 'card-approved', summary, 'https://h5.example/card-approved')).providerTemplateId;
    await new Promise((r) => setTimeout(r, 60));
  });
  afterAll(async () => {
    await svc?.stop();
    await sim?.stop();
    await db?.close();
  });

  it('when a card template is registered, then it is stored pending, and the poller records the approval', async () => {
    // Act
    const t = await svc.registerTemplate(accountA, 'card-1', summary, 'https://h5.example/card-1');
    // Assert
    expect(t).toMatchObject({ accountId: accountA, cardTemplateId: 'card-1', status: 'pending', domain: sim.domain, customUrl: 'https://h5.example/card-1' });
    await new Promise((r) => setTimeout(r, 60));
    const polled = await svc.pollReports();
    expect(polled.templatesRefreshed).toBeGreaterThanOrEqual(1);
    expect(await svc.template(accountA, t.providerTemplateId)).toMatchObject({ status: 'approved', reviewedAt: expect.any(Date) });
    expect(await svc.latestTemplateFor(accountA, 'card-1')).toMatchObject({ providerTemplateId: t.providerTemplateId });
  });

  it('when links for 25,000 recipients are requested and the report is polled, then campaign_parse_stats holds the aggregate counts of the rule', async () => {
    // Arrange
    const list = numbers(25_000, '138');
    const recipients = list.map((number, i) => ({ number, customUrl: `https://h5.example/s/c${i}` }));
    // Act
    const links = await svc.requestLinks(accountA, approvedId, recipients, { campaignId: 'camp-25k' });
    const polled = await svc.pollReports();
    // Assert
    expect(links.size).toBe(25_000);
    expect(new Set(links.values()).size).toBe(25_000);
    const batches = await db.query<{ n: number; numbers: number }>('select count(*)::int as n, sum(numbers)::int as numbers from smart_sms_batches where account_id = $1 and campaign_id = $2', [accountA, 'camp-25k']);
    expect(batches[0]).toEqual({ n: 3, numbers: 25_000 });
    expect(polled.stats).toEqual([expect.objectContaining({ accountId: accountA, campaignId: 'camp-25k', providerTemplateId: approvedId, sent: 25_000, parsed: 15_000, failed: 10_000 })]);
    // What the click report reads.
    const rows = await db.query('select account_id, campaign_id, source, requested, parsed, failed from campaign_parse_stats where account_id = $1 and campaign_id = $2', [accountA, 'camp-25k']);
    expect(rows).toEqual([{ account_id: accountA, campaign_id: 'camp-25k', source: approvedId, requested: 25_000, parsed: 15_000, failed: 10_000 }]);
  });

  it('when the report is polled again straight away, then the batches are not read twice and the counts stay', async () => {
    await svc.requestLinks(accountA, approvedId, numbers(10, '150').map((number) => ({ number })), { campaignId: 'camp-again' });
    const first = await svc.pollReports();
    const second = await svc.pollReports();
    expect(first.batchesRead).toBeGreaterThanOrEqual(1);
    expect(second.batchesRead).toBe(0);
    expect(await svc.campaignStats(accountA, 'camp-again')).toEqual([expect.objectContaining({ sent: 10, parsed: 6, failed: 4 })]);
  });

  it('when a later report is applied and then an older one, then the older one changes nothing', async () => {
    await svc.requestLinks(accountA, approvedId, numbers(10, '151').map((number) => ({ number })), { campaignId: 'camp-order' });
    const [batch] = await db.query<{ provider_batch_id: string }>('select provider_batch_id from smart_sms_batches where account_id = $1 and campaign_id = $2', [accountA, 'camp-order']);
    await svc.repo.applyReports([{ providerBatchId: batch.provider_batch_id, sent: 10, parsed: 7, failed: 3 }], new Date('2030-01-01T10:00:00Z'));
    const stale = await svc.repo.applyReports([{ providerBatchId: batch.provider_batch_id, sent: 10, parsed: 2, failed: 8 }], new Date('2030-01-01T09:00:00Z'));
    expect(stale).toEqual([]);
    expect(await svc.campaignStats(accountA, 'camp-order')).toEqual([expect.objectContaining({ sent: 10, parsed: 7, failed: 3 })]);
  });

  it('when parse fees are settled twice, then each reported parse is charged once and only new parses the second time', async () => {
    // Arrange: everything reported so far is charged first.
    await svc.pollReports();
    await svc.settleParseFees(async () => undefined);
    await svc.requestLinks(accountA, approvedId, numbers(20, '152').map((number) => ({ number })), { campaignId: 'camp-fee' });
    await new Promise((r) => setTimeout(r, 20));
    await svc.repo.applyReports((await db.query<{ provider_batch_id: string }>('select provider_batch_id from smart_sms_batches where campaign_id = $1', ['camp-fee']))
      .map((b) => ({ providerBatchId: b.provider_batch_id, sent: 20, parsed: 12, failed: 8 })), new Date());
    const charged: Array<ParseFeeDue & { fee: number }> = [];
    const debit = async (_tx: unknown, due: ParseFeeDue) => void charged.push({ ...due, fee: parseFeeFor({ parsed: due.parses }, 30) });
    // Act
    const first = await svc.settleParseFees(debit);
    const second = await svc.settleParseFees(debit);
    // Assert
    expect(first).toEqual([{ accountId: accountA, campaignId: 'camp-fee', providerTemplateId: approvedId, parses: 12 }]);
    expect(second).toEqual([]);
    expect(charged).toEqual([{ accountId: accountA, campaignId: 'camp-fee', providerTemplateId: approvedId, parses: 12, fee: 360 }]);
  });

  it('when the debit fails, then nothing is marked charged and the parses are due again', async () => {
    await svc.requestLinks(accountA, approvedId, numbers(10, '153').map((number) => ({ number })), { campaignId: 'camp-fee2' });
    await svc.pollReports();
    await expect(svc.settleParseFees(async () => { throw new Error('ledger down'); })).rejects.toThrow('ledger down');
    const due = await svc.settleParseFees(async () => undefined);
    expect(due).toContainEqual({ accountId: accountA, campaignId: 'camp-fee2', providerTemplateId: approvedId, parses: 6 });
  });

  it('when another account uses the template or reads the campaign, then it gets NOT_FOUND and no stats', async () => {
    await expectAppError(svc.requestLinks(accountB, approvedId, [{ number: '+8613800138000' }], { campaignId: 'camp-25k' }), 'NOT_FOUND');
    expect(await svc.campaignStats(accountB, 'camp-25k')).toEqual([]);
    expect(await svc.template(accountB, approvedId)).toBeUndefined();
  });

  it('when the same request key is used again, then the same links come back and no batch is recorded twice', async () => {
    const recipients = numbers(5, '154').map((number) => ({ number }));
    const a = await svc.requestLinks(accountA, approvedId, recipients, { campaignId: 'camp-key', requestKey: 'send-1' });
    const b = await svc.requestLinks(accountA, approvedId, recipients, { campaignId: 'camp-key', requestKey: 'send-1' });
    expect([...b]).toEqual([...a]);
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from smart_sms_batches where account_id = $1 and campaign_id = $2', [accountA, 'camp-key']);
    expect(n).toBe(1);
  });

  it('when a number comes in two spellings, then both keys get the one link of that handset', async () => {
    const links = await svc.requestLinks(accountA, approvedId, [{ number: '+8613900000001' }, { number: '13900000001' }, { number: '+8613900000002' }], { campaignId: 'camp-dup' });
    expect(links.get('+8613900000001')).toBe(links.get('13900000001'));
    expect(new Set(links.values()).size).toBe(2);
  });

  it('when a bulk link is requested, then every recipient gets the same link', async () => {
    const links = await svc.requestLinks(accountA, approvedId, numbers(4, '155').map((number) => ({ number })), { campaignId: 'camp-bulk', mode: 'bulk' });
    expect(new Set(links.values()).size).toBe(1);
  });

  it('when input is invalid or the template is not approved, then an AppError names the problem', async () => {
    await expectAppError(svc.requestLinks(accountA, approvedId, [{ number: '+8613800138000' }, { number: '+14155550123' }], { campaignId: 'c' }), 'INVALID_NUMBER', 'recipients.1.number');
    await expectAppError(svc.requestLinks(accountA, approvedId, [{ number: '+8613800138000', customUrl: 'ftp://x' }], { campaignId: 'c' }), 'VALIDATION_FAILED', 'recipients.0.customUrl');
    await expectAppError(svc.requestLinks(accountA, approvedId, [], { campaignId: 'c' }), 'VALIDATION_FAILED', 'recipients');
    await expectAppError(svc.registerTemplate(accountA, 'card-x', { ...summary, title: '' }, 'https://h5.example/x'), 'VALIDATION_FAILED', 'summary.title');
    const rejected = await svc.registerTemplate(accountA, 'card-rej', { ...summary, title: 'REJECT me' }, 'https://h5.example/rej');
    await new Promise((r) => setTimeout(r, 60));
    await expectAppError(svc.requestLinks(accountA, rejected.providerTemplateId, [{ number: '+8613800138000' }], { campaignId: 'c' }), 'TEMPLATE_NOT_APPROVED', 'templateId');
    expect(await svc.template(accountA, rejected.providerTemplateId)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('REJECT') });
  });

  it('when the provider fails, then the ChannelError comes through with retryable and the provider code', async () => {
    sim.failNext(1, { code: 'ServiceUnavailable' });
    const err = await svc.requestLinks(accountA, approvedId, [{ number: '+8613800138000' }], { campaignId: 'c' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ code: SMART_SMS_UPSTREAM.SERVER, retryable: true, providerCode: 'ServiceUnavailable' });
  });

  it('when support is asked, then the map says which handsets render cards', async () => {
    const support = await svc.support(['+8613800138000', '+8613800138006', '+14155550123']);
    expect([...support]).toEqual([['+8613800138000', true], ['+8613800138006', false], ['+14155550123', false]]);
  });
});
