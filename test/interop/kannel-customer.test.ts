/**
 * Interop: Kannel (bearerbox + smsbox) as a customer's ESME, bound to the platform's customer SMPP
 * server. Messages go in through Kannel's sendsms, through the whole pipeline and the SMSC simulator,
 * and the receipts come back to Kannel's dlr-url with the message id our submit_sm_resp gave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';
import { kannelMissingReason, startDlrReceiver, startKannel, type DlrReceiver, type KannelInstance } from './kannel/kannel-harness.js';

const skipNote = kannelMissingReason ? ` (skipped: ${kannelMissingReason})` : '';

describe.skipIf(kannelMissingReason)(`Kannel bound to the customer SMPP server${skipNote}`, () => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let dlr: DlrReceiver;
  let kannel: KannelInstance;

  beforeAll(async () => {
    t = await startTestPlatform('pglite');
    acc = await createFundedAccount(t);
    await t.api.put(`/v1/admin/accounts/${acc.id}/smpp-credentials/kannel`).set(acc.admin)
      .send({ password: 'k-secret', defaultCategory: 'otp' }).expect(200);
    dlr = await startDlrReceiver();
    kannel = await startKannel({ smsc: { host: '127.0.0.1', port: t.platform.ports.smpp!, systemId: 'kannel', password: 'k-secret', enquireLinkIntervalS: 1 } });
  }, 30_000);

  afterAll(async () => {
    await kannel?.stop();
    await dlr?.close();
    await t?.stop();
  });

  const messagesTo = async (to: string) =>
    (await t.api.get('/v1/messages').query({ to }).set(acc.auth).expect(200)).body.data as Array<{ id: string; text: string; status: string; parts: number }>;

  it('when Kannel sends a signed Unicode OTP, then the platform stores it, and Kannel hears delivered (1) with our message id', async () => {
    const text = '【阿里云】您的验证码是482913，5分钟内有效。';
    const res = await kannel.sendSms({ to: '+8613800138000', from: '1069', text, coding: 2, dlrUrl: dlr.urlFor('otp'), dlrMask: 31 });
    expect(res.accepted).toBe(true);
    const delivered = await dlr.waitFor((h) => h.ref === 'otp' && h.type === 1, 10_000);
    const [m] = await waitFor(async () => { const l = await messagesTo('+8613800138000'); return l.length > 0 && l; });
    expect(m).toMatchObject({ text, status: 'delivered' });
    expect(`msg_${delivered.msgid}`).toBe(m.id);
    expect(delivered.reply).toMatch(/stat:DELIVRD/);
  });

  it('when Kannel splits a long GSM text into two parts, then one message is stored whole and Kannel gets the receipt of the part it asked about', async () => {
    const text = 'Your parcel is on its way and will arrive tomorrow between 9 and 12. '.repeat(3).trim();
    expect(text.length).toBeGreaterThan(160);
    await kannel.sendSms({ to: '+447911123452', from: 'ACME', text, dlrUrl: dlr.urlFor('long'), dlrMask: 31 });
    const delivered = await dlr.waitFor((h) => h.ref === 'long' && h.type === 1, 10_000);
    const [m] = await messagesTo('+447911123452');
    expect(m.text).toBe(text);
    expect(m.parts).toBe(2);
    expect(delivered.msgid).toBe(`${m.id.slice(4)}-1`);
  });

  it('when the destination is undeliverable, then Kannel hears a failure (2) with the upstream stat', async () => {
    await kannel.sendSms({ to: '+447911123457', from: 'ACME', text: 'to an undeliverable number', dlrUrl: dlr.urlFor('undeliv'), dlrMask: 31 });
    const failed = await dlr.waitFor((h) => h.ref === 'undeliv' && h.type === 2, 10_000);
    expect(failed.reply).toMatch(/stat:UNDELIV/);
  });

  it('when the destination is not a number, then the submit is refused with ESME_RINVDSTADR and Kannel reports it rejected (16)', async () => {
    await kannel.sendSms({ to: '12', from: 'ACME', text: 'bad number', dlrUrl: dlr.urlFor('bad'), dlrMask: 31 });
    const rejected = await dlr.waitFor((h) => h.ref === 'bad' && h.type === 16, 10_000);
    expect(rejected.reply).toBe('NACK/0x0000000b/Invalid Destination Address');
  });
});
