import { nanoid } from 'nanoid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChargingMode } from '../../../src/accounts/account.js';
import { AccountRepository, type NewAccount } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { refundCancelled, settleMessages } from '../../../src/billing/settlement.js';
import { ReportRepository } from '../../../src/receipts/report.repository.js';
import { engines, openTestDb } from '../../support/databases.js';

const HOUR = 3_600_000;
const PRICE = 35;

interface PartSpec { part: number; attempt?: number; submit: 'ok' | 'error'; stat?: string | null }
interface MessageSpec { parts: number; status: string; ageHours?: number; partRows?: PartSpec[]; refunded?: number; scheduledInHours?: number; callbackUrl?: string }

// The hand-checked message: 4 parts debited 140. Part 1 DELIVRD, part 2 UNDELIV, part 3 rejected at
// submit, part 4 accepted without receipt.
const MIXED: PartSpec[] = [
  { part: 1, submit: 'ok', stat: 'DELIVRD' },
  { part: 2, submit: 'ok', stat: 'UNDELIV' },
  { part: 3, submit: 'error' },
  { part: 4, submit: 'ok', stat: null },
];

describe.each(engines)('settlement on %s', (engine) => {
  let db: Db;
  let accounts: AccountRepository;
  let reports: ReportRepository;
  const now = new Date('2026-05-10T12:00:00Z');

  beforeAll(async () => {
    db = await openTestDb(engine);
    accounts = new AccountRepository(db);
    reports = new ReportRepository(db);
  });
  afterAll(async () => db?.close());
  // Settlement is global: settle what earlier tests left so each test sees only its own messages.
  beforeEach(async () => {
    await db.query('update messages set settled = true');
  });

  async function account(input: Partial<NewAccount> = {}) {
    return (await accounts.create({ name: 'settle', pricePerPartMillis: PRICE, ...input })).account;
  }

  async function message(accountId: string, spec: MessageSpec): Promise<string> {
    const id = 'msg_' + nanoid(10);
    const createdAt = new Date(now.getTime() - (spec.ageHours ?? 73) * HOUR);
    await db.query(
      `insert into messages (id, account_id, batch_id, to_number, category, text, encoding, parts, status, cost_millis,
         refunded_millis, created_at, scheduled_at, callback_url, reference)
       values ($1, $2, 'b1', '+8613800138000', 'notification', 'x', 'ucs2', $3, $4, $5, $6, $7, $8, $9, 'ref-1')`,
      [id, accountId, spec.parts, spec.status, spec.parts * PRICE, spec.refunded ?? 0, createdAt,
        spec.scheduledInHours === undefined ? null : new Date(now.getTime() + spec.scheduledInHours * HOUR), spec.callbackUrl ?? null],
    );
    for (const p of spec.partRows ?? []) {
      await db.query(
        `insert into message_parts (message_id, attempt, part_no, channel_id, submit_status, dlr_stat) values ($1, $2, $3, 'ch', $4, $5)`,
        [id, p.attempt ?? 1, p.part, p.submit, p.stat ?? null],
      );
    }
    return id;
  }

  const balance = async (id: string) => (await accounts.findById(id))!.balanceMillis;
  const ledger = (accountId: string) =>
    db.query<{ message_id: string; kind: string; amount_millis: number; reason: string; batch_id: string }>(
      'select message_id, kind, amount_millis, reason, batch_id from ledger where account_id = $1 order by id', [accountId]);
  const msg = async (id: string) => (await db.query<{ status: string; settled: boolean; refunded_millis: number; done_at: Date | null }>(
    'select status, settled, refunded_millis, done_at from messages where id = $1', [id]))[0];

  const expectedRefund: Record<ChargingMode, number> = {
    submit: 0, // 4 parts handed to an upstream: all billed
    success: 35, // 3 accepted at submit: keep 105
    receipt: 105, // 1 DELIVRD: keep 35
    receipt_half_unknown: 88, // 1 + ½ part: keep 52.5 → 52 (rounded down for the customer)
    receipt_full_unknown: 70, // 1 + 1 part: keep 70
  };

  it.each(Object.entries(expectedRefund) as Array<[ChargingMode, number]>)(
    'when a prepaid %s account settles the 4-part mixed message, then %i millis come back',
    async (mode, refund) => {
      const acc = await account({ chargingMode: mode });
      const id = await message(acc.id, { parts: 4, status: 'submitted', partRows: MIXED });

      const result = await settleMessages(db, { now });

      expect(result).toMatchObject({ settled: 1, markedUnknown: 1, refunds: refund > 0 ? 1 : 0, refundedMillis: refund });
      expect(await balance(acc.id)).toBe(refund);
      expect(await msg(id)).toMatchObject({ status: 'unknown', settled: true, refunded_millis: refund, done_at: now });
      const rows = await ledger(acc.id);
      if (refund > 0) expect(rows).toEqual([{ message_id: id, kind: 'refund', amount_millis: refund, batch_id: 'b1', reason: expect.stringContaining(mode) }]);
      else expect(rows).toEqual([]);
    },
  );

  it('when settlement runs twice, then nothing is refunded twice', async () => {
    const acc = await account({ chargingMode: 'receipt' });
    await message(acc.id, { parts: 4, status: 'submitted', partRows: MIXED });
    await message(acc.id, { parts: 2, status: 'failed' });

    const first = await settleMessages(db, { now });
    const second = await settleMessages(db, { now: new Date(now.getTime() + HOUR) });

    expect(first.refundedMillis).toBe(105 + 70);
    expect(second).toEqual({ settled: 0, markedUnknown: 0, refunds: 0, refundedMillis: 0, reportsEnqueued: 0 });
    expect(await balance(acc.id)).toBe(175);
    expect(await ledger(acc.id)).toHaveLength(2);
  });

  it('when a message was blocked by the platform (never submitted), then even submit mode refunds it in full', async () => {
    const acc = await account({ chargingMode: 'submit' });
    const id = await message(acc.id, { parts: 2, status: 'failed' });

    await settleMessages(db, { now });

    expect(await msg(id)).toMatchObject({ status: 'failed', refunded_millis: 70 });
    expect(await balance(acc.id)).toBe(70);
  });

  it('when part of a message was already refunded, then only the rest is refunded', async () => {
    const acc = await account({ chargingMode: 'receipt' });
    const id = await message(acc.id, { parts: 4, status: 'submitted', partRows: MIXED, refunded: 35 });

    await settleMessages(db, { now });

    expect(await msg(id)).toMatchObject({ refunded_millis: 105 });
    expect(await balance(acc.id)).toBe(70);
  });

  it('when a part was resent and delivered on the second attempt, then the resend counts', async () => {
    const acc = await account({ chargingMode: 'receipt' });
    await message(acc.id, {
      parts: 1, status: 'delivered',
      partRows: [{ part: 1, attempt: 1, submit: 'ok', stat: 'UNDELIV' }, { part: 1, attempt: 2, submit: 'ok', stat: 'DELIVRD' }],
    });

    const result = await settleMessages(db, { now });

    expect(result).toMatchObject({ settled: 1, markedUnknown: 0, refundedMillis: 0, reportsEnqueued: 0 });
  });

  it('when messages are younger than 72 h or scheduled, then they are left alone', async () => {
    const acc = await account({ chargingMode: 'receipt' });
    const young = await message(acc.id, { parts: 1, status: 'submitted', ageHours: 71 });
    const scheduled = await message(acc.id, { parts: 1, status: 'scheduled', ageHours: 100, scheduledInHours: 24 });
    const sentLate = await message(acc.id, { parts: 1, status: 'submitted', ageHours: 100, scheduledInHours: -10 });

    const result = await settleMessages(db, { now });

    expect(result.settled).toBe(0);
    for (const id of [young, scheduled, sentLate]) expect((await msg(id)).settled).toBe(false);
  });

  it('when a message gets its final unknown status, then one report per open part is owed, or one per message when asked', async () => {
    const perPart = await account({ chargingMode: 'submit', callbackUrl: 'http://127.0.0.1:9/a' });
    const perMessage = await account({ chargingMode: 'submit', settings: { reportPerMessage: true } });
    const id = await message(perPart.id, {
      parts: 3, status: 'submitted', callbackUrl: 'http://127.0.0.1:9/msg',
      partRows: [{ part: 1, submit: 'ok', stat: 'DELIVRD' }, { part: 2, submit: 'ok', stat: 'ENROUTE' }],
    });
    const id2 = await message(perMessage.id, { parts: 3, status: 'queued' });

    const result = await settleMessages(db, { now });

    expect(result.reportsEnqueued).toBe(3);
    const partReports = await reports.listForPull(perPart.id, 0, 10);
    expect(partReports.map((r) => r.payload)).toEqual([2, 3].map((no) => ({
      type: 'status', messageId: id, reference: 'ref-1', to: '+8613800138000', status: 'unknown',
      errorCode: null, errorMessage: 'No delivery receipt within 72 hours', part: { no, of: 3 }, at: now.toISOString(),
    })));
    expect(partReports[0]).toMatchObject({ kind: 'status', messageId: id, callbackUrl: 'http://127.0.0.1:9/msg' });
    const [whole] = await reports.listForPull(perMessage.id, 0, 10);
    expect(whole.payload).toMatchObject({ messageId: id2, status: 'unknown' });
    expect(whole.payload).not.toHaveProperty('part');
  });

  it('when the account is postpaid, then the message is settled and finalised but nothing is refunded', async () => {
    const acc = await account({ chargingMode: 'receipt', billingType: 'postpaid' });
    const id = await message(acc.id, { parts: 4, status: 'submitted', partRows: MIXED });

    const result = await settleMessages(db, { now });

    expect(result).toMatchObject({ settled: 1, markedUnknown: 1, refunds: 0 });
    expect(await msg(id)).toMatchObject({ status: 'unknown', settled: true, refunded_millis: 0 });
    expect(await balance(acc.id)).toBe(0);
    expect(await ledger(acc.id)).toEqual([]);
  });

  it('when there are more messages than the chunk size, then every chunk is settled', async () => {
    const acc = await account({ chargingMode: 'receipt' });
    for (let i = 0; i < 7; i++) await message(acc.id, { parts: 1, status: 'failed' });

    const result = await settleMessages(db, { now, limit: 3 });

    expect(result).toMatchObject({ settled: 7, refunds: 7, refundedMillis: 7 * PRICE });
    expect(await balance(acc.id)).toBe(7 * PRICE);
  });

  it('when two settlers run at once, then each message is refunded exactly once', async () => {
    const acc = await account({ chargingMode: 'receipt' });
    for (let i = 0; i < 20; i++) await message(acc.id, { parts: 1, status: 'failed' });

    const [a, b] = await Promise.all([settleMessages(db, { now, limit: 5 }), settleMessages(db, { now, limit: 5 })]);

    expect(a.settled + b.settled).toBe(20);
    expect(await balance(acc.id)).toBe(20 * PRICE);
    expect(await ledger(acc.id)).toHaveLength(20);
  });

  it('when a scheduled message is cancelled, then it is refunded at once, once, and settlement skips it', async () => {
    const acc = await account({ chargingMode: 'submit' });
    const id = await message(acc.id, { parts: 2, status: 'cancelled', ageHours: 80, scheduledInHours: -1 });
    const live = await message(acc.id, { parts: 1, status: 'submitted', ageHours: 1 });
    const other = await account();

    const first = await db.transaction((tx) => refundCancelled(tx, acc.id, [id, live], now));
    const again = await db.transaction((tx) => refundCancelled(tx, acc.id, [id], now));
    const wrongAccount = await db.transaction((tx) => refundCancelled(tx, other.id, [id], now));
    const settled = await settleMessages(db, { now });

    expect(first).toEqual({ messages: 1, refundedMillis: 70 });
    expect(again).toEqual({ messages: 0, refundedMillis: 0 });
    expect(wrongAccount).toEqual({ messages: 0, refundedMillis: 0 });
    expect(settled.settled).toBe(0);
    expect(await msg(id)).toMatchObject({ status: 'cancelled', settled: true, refunded_millis: 70 });
    expect((await msg(live)).settled).toBe(false);
    expect(await balance(acc.id)).toBe(70);
    expect(await ledger(acc.id)).toEqual([{ message_id: id, kind: 'refund', amount_millis: 70, batch_id: 'b1', reason: 'cancelled before sending' }]);
  });
});
