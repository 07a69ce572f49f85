import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';
import { SMPP_STATUS, bindEsme, type TestEsme } from '../support/esme-client.js';

const S = SMPP_STATUS;
const SIGNED = '【阿里云】您的验证码是482913，5分钟内有效。';

describe.each(engines)('customer SMPP server on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let password: string;
  let esme: TestEsme;
  const port = () => t.platform.ports.smpp!;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t);
    const res = await t.api.put(`/v1/admin/accounts/${acc.id}/smpp-credentials/acme`).set(acc.admin).send({ defaultCategory: 'otp' }).expect(200);
    password = res.body.password;
    esme = await bindEsme({ port: port(), systemId: 'acme', password });
  });
  afterAll(async () => {
    await esme?.close();
    await t?.stop();
  });

  const message = async (id: string) => (await t.api.get(`/v1/messages/msg_${id}`).set(acc.auth).expect(200)).body;
  const receiptFor = (id: string) => waitFor(async () => esme.delivered.find((d) => d.receipted_message_id === id));

  it('when credentials are set, then a generated 8-character password is shown once and the list shows no password', async () => {
    expect(password).toMatch(/^[\x21-\x7e]{8}$/);
    const list = await t.api.get(`/v1/admin/accounts/${acc.id}/smpp-credentials`).set(acc.admin).expect(200);
    expect(list.body.data).toEqual([expect.objectContaining({ systemId: 'acme', maxBinds: 4, defaultCategory: 'otp' })]);
    expect(JSON.stringify(list.body)).not.toContain(password);
  });

  it('when the password or system_id is wrong, then the bind is refused with the status that says which', async () => {
    const wrong = await bindEsme({ port: port(), systemId: 'acme', password: 'nope' });
    expect(wrong.bindStatus).toBe(S.ESME_RINVPASWD);
    await wrong.closed;
    const unknown = await bindEsme({ port: port(), systemId: 'nobody', password: 'x' });
    expect(unknown.bindStatus).toBe(S.ESME_RINVSYSID);
    await unknown.closed;
    expect(esme.bindStatus).toBe(0);
  });

  it('when a customer submits over SMPP, then the message goes through the pipeline and its receipt comes back as deliver_sm', async () => {
    const resp = await esme.submit({ destination_addr: '8613800138000', dest_addr_ton: 1, dest_addr_npi: 1, source_addr: '1069', data_coding: 8, short_message: SIGNED });
    expect(resp.command_status).toBe(0);
    const id = resp.message_id as string;
    expect(id).toMatch(/^[0-9a-z]{19}$/);
    const receipt = await receiptFor(id);
    expect(receipt.esm_class & 0x3c).toBe(0x04);
    expect(receipt.message_state).toBe(2);
    expect(receipt.source_addr).toBe('8613800138000');
    expect(receipt.short_message.message).toMatch(new RegExp(`^id:${id} sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000`));
    const m = await message(id);
    expect(m).toMatchObject({ status: 'delivered', category: 'otp', to: '+8613800138000', text: SIGNED });
  });

  it('when the destination is undeliverable, then the receipt says UNDELIV with the upstream error', async () => {
    const resp = await esme.submit({ destination_addr: '13800138007', data_coding: 8, short_message: SIGNED });
    const receipt = await receiptFor(resp.message_id);
    expect(receipt.message_state).toBe(5);
    expect(receipt.short_message.message).toContain('stat:UNDELIV err:001');
  });

  it('when a content rule refuses the text, then submit_sm is still answered with an id and a REJECTD receipt follows', async () => {
    const resp = await esme.submit({ destination_addr: '13800138000', data_coding: 8, short_message: '没有签名的短信' });
    expect(resp.command_status).toBe(0);
    const receipt = await receiptFor(resp.message_id);
    expect(receipt.short_message.message).toContain('stat:REJECTD');
    expect((await message(resp.message_id)).status).toBe('failed');
  });

  it('when the input is bad, then submit_sm_resp carries the status naming the problem and nothing is stored', async () => {
    expect((await esme.submit({ destination_addr: '12345', short_message: 'x' })).command_status).toBe(S.ESME_RINVDSTADR);
    expect((await esme.submit({ destination_addr: '13800138000', data_coding: 4, short_message: Buffer.from([1, 2, 3]) })).command_status).toBe(S.ESME_RINVDCS);
    expect((await esme.submit({ destination_addr: '13800138000', short_message: '' })).command_status).toBe(S.ESME_RINVMSGLEN);
    expect((await esme.submit({ destination_addr: '13800138000', message_payload: 'x'.repeat(1001) })).command_status).toBe(S.ESME_RINVMSGLEN);
    expect((await esme.submit({ destination_addr: '13800138000', esm_class: 0x08, short_message: 'x' })).command_status).toBe(S.ESME_RINVESMCLASS);
    expect((await esme.submit({ destination_addr: '447911123456', dest_addr_ton: 1, source_addr: 'A sender too long', short_message: 'x' })).command_status).toBe(S.ESME_RINVSRCADR);
    // The session goes on after all of them.
    expect((await esme.send('enquire_link')).command_status).toBe(0);
  });

  it('when a long message comes as two UDH parts, then each part gets its own id, one message is stored whole, and a receipt comes per part', async () => {
    const text = '【阿里云】' + '您的订单已发货，请注意查收。'.repeat(6); // > 70 UCS-2 characters
    const half = Math.ceil(text.length / 2);
    const udh = (seq: number) => Buffer.from([0x05, 0x00, 0x03, 0x7a, 0x02, seq]);
    const part = (seq: number, s: string) => ({ destination_addr: '13800138001', data_coding: 8, esm_class: 0x40, short_message: { udh: udh(seq), message: s } });
    const r1 = await esme.submit(part(1, text.slice(0, half)));
    const r2 = await esme.submit(part(2, text.slice(half)));
    expect([r1.command_status, r2.command_status]).toEqual([0, 0]);
    const id = (r2.message_id as string).replace(/-2$/, '');
    expect(r1.message_id).toBe(`${id}-1`);
    expect(r2.message_id).toBe(`${id}-2`);
    expect((await message(id)).text).toBe(text);
    await receiptFor(`${id}-1`);
    await receiptFor(`${id}-2`);
  });

  it('when a long message comes in message_payload, then it is one message with one id and one receipt', async () => {
    const text = '【阿里云】' + '物流通知：包裹已到达驿站。'.repeat(10);
    const resp = await esme.submit({ destination_addr: '13800138002', data_coding: 8, message_payload: text });
    expect(resp.command_status).toBe(0);
    const m = await message(resp.message_id);
    expect(m.text).toBe(text);
    expect(m.parts).toBeGreaterThan(1);
    await receiptFor(resp.message_id);
  });

  it('when registered_delivery is 0, then no receipt is sent for the message', async () => {
    const resp = await esme.submit({ destination_addr: '13800138003', data_coding: 8, short_message: SIGNED, registered_delivery: 0 });
    await waitFor(async () => (await message(resp.message_id)).status === 'delivered');
    const later = await esme.submit({ destination_addr: '13800138004', data_coding: 8, short_message: SIGNED });
    await receiptFor(later.message_id); // receipts are drained in order: the earlier one would be here by now
    expect(esme.delivered.some((d) => d.receipted_message_id === resp.message_id)).toBe(false);
  });

  it('when query_sm asks about a message, then its state comes back; an unknown id gets ESME_RQUERYFAIL', async () => {
    const resp = await esme.submit({ destination_addr: '13800138005', data_coding: 8, short_message: SIGNED });
    await waitFor(async () => (await message(resp.message_id)).status === 'delivered');
    const q = await esme.send('query_sm', { message_id: resp.message_id, source_addr: '' });
    expect(q).toMatchObject({ command_status: 0, message_id: resp.message_id, message_state: 2 });
    expect((await esme.send('query_sm', { message_id: 'nope', source_addr: '' })).command_status).toBe(S.ESME_RQUERYFAIL);
  });

  it('when cancel_sm names a scheduled message, then it is cancelled and refunded; a sent one answers ESME_RCANCELFAIL', async () => {
    const at = new Date(Date.now() + 3_600_000);
    const resp = await esme.submit({ destination_addr: '13800138006', data_coding: 8, short_message: SIGNED, schedule_delivery_time: at });
    expect((await message(resp.message_id)).status).toBe('scheduled');
    expect((await esme.send('cancel_sm', { message_id: resp.message_id, source_addr: '', destination_addr: '' })).command_status).toBe(0);
    expect(await message(resp.message_id)).toMatchObject({ status: 'cancelled' });
    const sent = await esme.submit({ destination_addr: '13800138000', data_coding: 8, short_message: SIGNED });
    expect((await esme.send('cancel_sm', { message_id: sent.message_id, source_addr: '', destination_addr: '' })).command_status).toBe(S.ESME_RCANCELFAIL);
  });

  it('when the ESME sends a command we do not serve, then it gets generic_nack ESME_RINVCMDID and the bind stays up', async () => {
    const resp = await esme.send('replace_sm', { message_id: 'x', source_addr: '', short_message: 'y' });
    expect(resp.command).toBe('generic_nack');
    expect(resp.command_status).toBe(S.ESME_RINVCMDID);
    expect((await esme.send('enquire_link')).command_status).toBe(0);
  });

  it('when a PDU cannot be read, then only that bind is closed and the other binds keep working', async () => {
    const broken = await bindEsme({ port: port(), systemId: 'acme', password });
    expect(broken.bindStatus).toBe(0);
    // A command_length beyond any PDU: the stream cannot be framed any more.
    const header = Buffer.alloc(16);
    header.writeUInt32BE(0x7fffffff, 0);
    header.writeUInt32BE(0x00000004, 4);
    broken.writeRaw(header);
    await broken.closed;
    expect((await esme.send('enquire_link')).command_status).toBe(0);
  });

  it('when a subscriber replies, then the MO reaches the customer as a deliver_sm', async () => {
    await t.platform.simulator!.injectMo('+8613900001111', '10690001', '收到，谢谢');
    const mo = await waitFor(async () => esme.delivered.find((d) => (d.esm_class & 0x3c) === 0 && d.source_addr === '8613900001111'));
    expect(mo.short_message.message).toBe('收到，谢谢');
    expect(mo.destination_addr).toBe('10690001');
  });
});

describe.each(engines)('customer SMPP limits on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  const binds: TestEsme[] = [];

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t, { ipAllowlist: ['127.0.0.1/32'] });
    await t.api.put(`/v1/admin/accounts/${acc.id}/smpp-credentials/slow`).set(acc.admin)
      .send({ password: 'pw123456', maxBinds: 2, submitsPerSecond: 1 }).expect(200);
  });
  afterAll(async () => {
    for (const b of binds) await b.close();
    await t?.stop();
  });

  it('when a system_id already holds its bind limit, then another bind gets ESME_RBINDFAIL', async () => {
    binds.push(await bindEsme({ port: t.platform.ports.smpp!, systemId: 'slow', password: 'pw123456', mode: 'transmitter' }));
    binds.push(await bindEsme({ port: t.platform.ports.smpp!, systemId: 'slow', password: 'pw123456', mode: 'receiver' }));
    const third = await bindEsme({ port: t.platform.ports.smpp!, systemId: 'slow', password: 'pw123456' });
    expect(binds.map((b) => b.bindStatus)).toEqual([0, 0]);
    expect(third.bindStatus).toBe(SMPP_STATUS.ESME_RBINDFAIL);
  });

  it('when submits exceed the rate shared by the binds, then the excess is answered ESME_RTHROTTLED', async () => {
    const tx = binds[0];
    const first = await tx.submit({ destination_addr: '13800138000', data_coding: 8, short_message: SIGNED });
    const second = await tx.submit({ destination_addr: '13800138000', data_coding: 8, short_message: SIGNED });
    expect(first.command_status).toBe(0);
    expect(second.command_status).toBe(SMPP_STATUS.ESME_RTHROTTLED);
  });

  it('when a receiver bind submits, then it gets ESME_RINVBNDSTS; the receipt of the transmitter\'s message reaches the receiver', async () => {
    const [tx, rx] = binds;
    expect((await rx.submit({ destination_addr: '13800138000', short_message: 'x' })).command_status).toBe(SMPP_STATUS.ESME_RINVBNDSTS);
    await new Promise((r) => setTimeout(r, 1_100)); // one token per second
    const sent = await tx.submit({ destination_addr: '13800138001', data_coding: 8, short_message: SIGNED });
    await waitFor(async () => rx.delivered.find((d) => d.receipted_message_id === sent.message_id));
    expect(tx.delivered).toHaveLength(0);
  });
});

describe('customer SMPP server over TLS', () => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;

  beforeAll(async () => {
    // A throwaway self-signed certificate for 127.0.0.1.
    const dir = mkdtempSync(join(tmpdir(), 'smpp-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    t = await startTestPlatform('pglite', { SMPP_SERVER_TLS_PORT: '0', SMPP_SERVER_TLS_KEY_FILE: join(dir, 'key.pem'), SMPP_SERVER_TLS_CERT_FILE: join(dir, 'cert.pem') });
    acc = await createFundedAccount(t);
    await t.api.put(`/v1/admin/accounts/${acc.id}/smpp-credentials/secure`).set(acc.admin).send({ password: 'tls-pass' }).expect(200);
  });
  afterAll(async () => t?.stop());

  it('when an ESME binds over TLS, then it submits and gets its receipt like on the plain port', async () => {
    const esme = await bindEsme({ port: t.platform.ports.smppTls!, systemId: 'secure', password: 'tls-pass', tls: true });
    expect(esme.bindStatus).toBe(0);
    const resp = await esme.submit({ destination_addr: '13800138000', data_coding: 8, short_message: SIGNED });
    expect(resp.command_status).toBe(0);
    await waitFor(async () => esme.delivered.find((d) => d.receipted_message_id === resp.message_id));
    await esme.close();
  });
});
