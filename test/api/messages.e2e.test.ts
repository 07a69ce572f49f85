import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

describe.each(engines)('sending text SMS end to end on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t);
  });
  afterAll(async () => t?.stop());

  const statusOf = async (id: string) => (await t.api.get(`/v1/messages/${id}`).set(acc.auth).expect(200)).body;

  it('when an OTP is sent to a delivering number, then it is submitted over SMPP and ends delivered with its receipt', async () => {
    const res = await t.api.post('/v1/messages').set(acc.auth)
      .send({ to: '13800138000', category: 'otp', text: '【阿里云】您的验证码是482913，5分钟内有效。' }).expect(202);
    expect(res.body).toMatchObject({ status: 'queued', parts: 1, encoding: 'ucs2' });
    const m = await waitFor(async () => { const b = await statusOf(res.body.id); return b.status === 'delivered' && b; });
    expect(m.to).toBe('+8613800138000');
    expect(m.attempts[0].channelId).toBe('simulator');
    expect(m.attempts[0].parts[0]).toMatchObject({ submitStatus: 'ok', dlrStat: 'DELIVRD' });
  });

  it('when a marketing text lacks the unsubscribe suffix, then it is stored as failed with a platform code', async () => {
    const res = await t.api.post('/v1/messages').set(acc.auth)
      .send({ to: '13800138001', category: 'marketing', text: '【阿里云】会员日全场8折' }).expect(202);
    expect(res.body).toMatchObject({ status: 'failed', errorCode: 'MARKETING_SUFFIX_MISSING' });
  });

  it('when the number is malformed, then the API answers 400 naming the field and stores nothing', async () => {
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '12345', category: 'otp', text: '【阿里云】code 1234' }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_NUMBER', field: 'to' });
  });

  it('when a request is retried with the same Idempotency-Key, then the first answer is replayed and only one message exists', async () => {
    const body = { to: '13800138002', category: 'notification', text: '【阿里云】您的快递已到驿站，取件码 8-2-1234' };
    const a = await t.api.post('/v1/messages').set(acc.auth).set('Idempotency-Key', 'k-1').send(body).expect(202);
    const b = await t.api.post('/v1/messages').set(acc.auth).set('Idempotency-Key', 'k-1').send(body).expect(202);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const list = await t.api.get('/v1/messages').query({ to: '13800138002' }).set(acc.auth).expect(200);
    expect(list.body.data).toHaveLength(1);
  });

  it('when a batch of 100 has two bad recipients, then 98 are accepted, the bad ones are listed by index, and all 98 reach a final status', async () => {
    const recipients = Array.from({ length: 100 }, (_, i) => ({ to: `1390000${String(i).padStart(4, '0')}` }));
    recipients[5] = { to: 'not-a-number' };
    recipients[50] = { to: '123' };
    const res = await t.api.post('/v1/messages/batch').set(acc.auth)
      .send({ category: 'notification', text: '【阿里云】系统将于今晚22:00维护', recipients }).expect(202);
    expect(res.body.accepted).toBe(98);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([5, 50]);
    expect(res.body.rejected[0]).toMatchObject({ code: 'INVALID_NUMBER', field: 'recipients.5.to' });
    const count = async (status: string) =>
      (await t.api.get('/v1/messages').query({ batchId: res.body.batchId, status, limit: 1000 }).set(acc.auth)).body.data as Array<{ to: string; errorCode: string }>;
    // Simulator outcomes by last digit: 0–6 delivered, 7 undeliverable, 8 no receipt, 9 rejected at submit.
    const expectedDelivered = recipients.filter((r, i) => i !== 5 && i !== 50 && /[0-6]$/.test(r.to)).length;
    await waitFor(async () => (await count('delivered')).length === expectedDelivered, 15_000);
    const failed = await waitFor(async () => { const f = await count('failed'); return f.length === 20 && f; }, 15_000);
    expect(failed.filter((m) => m.to.endsWith('7')).every((m) => m.errorCode === 'DLR_FAILED')).toBe(true);
    // With no other channel to resend on, the held-back failure reports are owed after all.
    const undelivered = new Set(failed.filter((m) => m.to.endsWith('7')).map((m) => (m as unknown as { id: string }).id));
    const reports = await waitFor(async () => {
      const page = (await t.api.get('/v1/reports').query({ limit: 1000 }).set(acc.auth)).body.reports as Array<{ messageId: string; status: string }>;
      const owed = page.filter((r) => undelivered.has(r.messageId));
      return owed.length === undelivered.size && owed;
    });
    expect(reports.every((r) => r.status === 'failed')).toBe(true);
    expect(failed.filter((m) => m.to.endsWith('9')).every((m) => m.errorCode === 'UPSTREAM_REJECTED')).toBe(true);
    const stillOpen = await count('submitted');
    expect(stillOpen.map((m) => m.to.slice(-1))).toEqual(Array(stillOpen.length).fill('8'));
  });

  it('when a scheduled message is cancelled, then it is refunded at once', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138003', category: 'notification', text: '【阿里云】明天见', scheduledAt: at }).expect(202);
    expect(res.body.status).toBe('scheduled');
    const before = (await t.api.get('/v1/account').set(acc.auth)).body.balanceMillis;
    const del = await t.api.delete(`/v1/messages/${res.body.id}`).set(acc.auth).expect(200);
    expect(del.body.refundedMillis).toBe(35);
    const after = (await t.api.get('/v1/account').set(acc.auth)).body.balanceMillis;
    expect(after - before).toBe(35);
    await t.api.delete(`/v1/messages/${res.body.id}`).set(acc.auth).expect(409);
  });

  it('when marketing is sent outside the window and the account holds, then it is scheduled for the window start', async () => {
    const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(new Date()));
    const start = `${String((hour + 2) % 24).padStart(2, '0')}:00`;
    const end = `${String((hour + 3) % 24).padStart(2, '0')}:00`;
    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(acc.admin).send({ settings: { outsideWindow: 'hold', marketingWindow: { start, end } } }).expect(200);
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138004', category: 'marketing', text: '【阿里云】周末特惠 拒收请回复R' }).expect(202);
    expect(res.body.status).toBe('scheduled');
    const until = new Date(res.body.scheduledAt);
    const hoursAhead = (until.getTime() - Date.now()) / 3_600_000;
    expect(hoursAhead).toBeGreaterThan(1);
    expect(hoursAhead).toBeLessThanOrEqual(2);
    expect(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(until)).toBe(start);
    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(acc.admin).send({ settings: { outsideWindow: 'reject' } }).expect(200);
    const rejected = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138004', category: 'marketing', text: '【阿里云】周末特惠 拒收请回复R' }).expect(202);
    expect(rejected.body).toMatchObject({ status: 'failed', errorCode: 'OUTSIDE_SENDING_WINDOW' });
  });

  it('when 50 single sends arrive at once, then each is accepted once, debited once, and a repeated Idempotency-Key still sends once', async () => {
    const before = (await t.api.get('/v1/account').set(acc.auth)).body.balanceMillis;
    const sends = Array.from({ length: 50 }, (_, i) =>
      t.api.post('/v1/messages').set(acc.auth).send({ to: `1370000${String(i).padStart(4, '0')}`, category: 'notification', text: '【阿里云】并发测试' }));
    const sameKey = Array.from({ length: 5 }, () =>
      t.api.post('/v1/messages').set(acc.auth).set('Idempotency-Key', 'burst-1').send({ to: '13700009999', category: 'notification', text: '【阿里云】并发测试' }));
    const answers = await Promise.all([...sends, ...sameKey]);
    const accepted = answers.slice(0, 50);
    expect(accepted.every((r) => r.status === 202 && r.body.status === 'queued')).toBe(true);
    expect(new Set(accepted.map((r) => r.body.id)).size).toBe(50);
    // Concurrent duplicates either replay the first answer or are told it is still in progress.
    const keyed = answers.slice(50);
    const ids = new Set(keyed.filter((r) => r.status === 202).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(keyed.every((r) => r.status === 202 || r.body.error?.code === 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
    const after = (await t.api.get('/v1/account').set(acc.auth)).body.balanceMillis;
    expect(before - after).toBe(51 * 35);
    const dup = await t.api.get('/v1/messages').query({ to: '13700009999' }).set(acc.auth).expect(200);
    expect(dup.body.data).toHaveLength(1);
  });
});
