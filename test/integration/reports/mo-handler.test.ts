import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { createLogger } from '../../../src/logging/logger.js';
import { handleMo, type MoDeps } from '../../../src/receipts/mo-handler.js';
import { ReportRepository } from '../../../src/receipts/report.repository.js';
import { engines, openTestDb } from '../../support/databases.js';

describe.each(engines)('handleMo on %s', (engine) => {
  let db: Db;
  let accounts: AccountRepository;
  let reports: ReportRepository;
  const logLines: string[] = [];
  const unsubscribed: Array<[string, string]> = [];
  let deps: MoDeps;
  const receivedAt = new Date('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    db = await openTestDb(engine);
    accounts = new AccountRepository(db);
    reports = new ReportRepository(db);
    deps = {
      db, accounts,
      logger: createLogger('debug', {}, (line) => logLines.push(line)),
      onUnsubscribe: (accountId, number) => { unsubscribed.push([accountId, number]); },
    };
  });
  afterAll(async () => db?.close());

  const blacklist = (accountId: string) =>
    db.query<{ number: string; group_name: string; level: string; source: string }>(
      'select number, group_name, level, source from blacklist_entries where account_scope = $1', [accountId]);

  it('when a reply reaches an account\'s extension, then it is stored and an mo report is owed to that account', async () => {
    const { account } = await accounts.create({ name: 'shop', extension: '4521' });

    const result = await handleMo(deps, { from: '13812345678', to: '1069000014521', text: '1', channelId: 'ch1', receivedAt });

    expect(result).toMatchObject({ accountId: account.id, unsubscribed: false });
    const [stored] = await db.query('select * from mo_messages where id = $1', [result.id]);
    expect(stored).toMatchObject({ account_id: account.id, from_number: '13812345678', to_address: '1069000014521', text: '1', channel_id: 'ch1' });
    const pending = await reports.listForPull(account.id, 0, 10);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: 'mo', id: result.reportId });
    expect(pending[0].payload).toEqual({
      type: 'mo', id: result.id, from: '13812345678', to: '1069000014521', text: '1', receivedAt: receivedAt.toISOString(), unsubscribed: false,
    });
    expect(await blacklist(account.id)).toHaveLength(0);
  });

  it('when extensions overlap, then the longest one the address ends with wins', async () => {
    await accounts.create({ name: 'short', extension: '77' });
    const { account: long } = await accounts.create({ name: 'long', extension: '3377' });

    const result = await handleMo(deps, { from: '13812345678', to: '106900013377', text: 'hi', channelId: null, receivedAt });

    expect(result.accountId).toBe(long.id);
  });

  it('when the reply is R, then the number joins the account\'s unsubscribe group and the hook is told', async () => {
    const { account } = await accounts.create({ name: 'marketing', extension: '8800' });
    unsubscribed.length = 0;

    const result = await handleMo(deps, { from: '8613900001111', to: '106900018800', text: ' R ', channelId: 'ch1', receivedAt });

    expect(result.unsubscribed).toBe(true);
    expect(await blacklist(account.id)).toEqual([{ number: '+8613900001111', group_name: 'unsubscribe', level: 'low', source: 'mo_unsubscribe' }]);
    expect(unsubscribed).toEqual([[account.id, '+8613900001111']]);
    const [report] = await reports.listForPull(account.id, 0, 10);
    expect(report.payload).toMatchObject({ type: 'mo', text: ' R ', unsubscribed: true });
  });

  it('when older unsubscribe words (TD, T, 退订) arrive, or R twice, then they are honoured without errors', async () => {
    const { account } = await accounts.create({ name: 'legacy', extension: '9911' });

    for (const text of ['TD', 't', '退订', 'r']) {
      const r = await handleMo(deps, { from: '+8613900002222', to: '106900019911', text, channelId: null, receivedAt });
      expect(r.unsubscribed, text).toBe(true);
    }

    expect(await blacklist(account.id)).toHaveLength(1);
    expect(await reports.listForPull(account.id, 0, 10)).toHaveLength(4);
  });

  it('when the unsubscribe hook fails, then the MO is still handled and the failure logged', async () => {
    const { account } = await accounts.create({ name: 'hook-fails', extension: '6611' });
    logLines.length = 0;

    const result = await handleMo({ ...deps, onUnsubscribe: () => Promise.reject(new Error('redis down')) },
      { from: '13900003333', to: '106900016611', text: 'R', channelId: null, receivedAt });

    expect(result.unsubscribed).toBe(true);
    expect(await blacklist(account.id)).toHaveLength(1);
    expect(logLines.some((l) => l.includes('unsubscribe hook failed') && l.includes('redis down'))).toBe(true);
  });

  it('when no extension matches, then the MO is stored without account, logged masked, and no report is owed', async () => {
    logLines.length = 0;

    const result = await handleMo(deps, { from: '13812349876', to: '10690000000000', text: 'R', channelId: 'ch9', receivedAt });

    expect(result).toMatchObject({ accountId: null, unsubscribed: false, reportId: null });
    const [stored] = await db.query('select account_id from mo_messages where id = $1', [result.id]);
    expect(stored.account_id).toBeNull();
    const line = logLines.find((l) => l.includes('no known extension'));
    expect(line).toBeDefined();
    expect(line).not.toContain('13812349876');
    expect(line).toContain('9876');
    expect(await db.query(`select 1 from blacklist_entries where number like '%13812349876'`)).toHaveLength(0);
  });

  it('when any MO is logged, then no full phone number reaches the log', async () => {
    await accounts.create({ name: 'log-check', extension: '5544' });
    logLines.length = 0;

    await handleMo(deps, { from: '13855556666', to: '106900015544', text: 'R', channelId: null, receivedAt });

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/13855556666/);
  });
});
