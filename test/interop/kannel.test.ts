/**
 * Interop: a real Kannel (Debian `kannel`, bearerbox + smsbox) is the ESME. It binds to an SMPP
 * server, we send through its sendsms HTTP interface, and receipts come back to its dlr-url.
 * Today the server is the bundled SMSC simulator; the customer SMPP server is reached the same way
 * by pointing `smsc` (host, port, systemId, password) at it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmscSimulator, type SimulatedSubmit, type SmscSimulator } from '../../src/channels/smpp/smsc-simulator.js';
import {
  kannelMissingReason, startDlrReceiver, startKannel, type DlrReceiver, type KannelInstance,
} from './kannel/kannel-harness.js';

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const skipNote = kannelMissingReason ? ` (skipped: ${kannelMissingReason})` : '';

describe.skipIf(kannelMissingReason)(`interop with Kannel as ESME${skipNote}`, () => {
  let sim: SmscSimulator;
  let dlr: DlrReceiver;
  let kannel: KannelInstance;
  const submitsTo = (addr: string): SimulatedSubmit[] => sim.submits.filter((s) => s.destination.addr === addr);

  beforeAll(async () => {
    sim = await startSmscSimulator({
      credentials: { kannel: 'k-secret' }, recordSubmits: true, receiptDelayMs: 50, enquireLinkMs: 300,
    });
    dlr = await startDlrReceiver();
    kannel = await startKannel({
      smsc: { host: '127.0.0.1', port: sim.port, systemId: 'kannel', password: 'k-secret', enquireLinkIntervalS: 1 },
    });
  });

  afterAll(async () => {
    await kannel?.stop();
    await dlr?.close();
    await sim?.stop();
  });

  it('when Kannel starts with the smsc credentials, then it holds one bind and answers and sends enquire_link', async () => {
    // Arrange: bound in beforeAll. Act: let both keep-alive timers fire.
    await until(() => sim.stats.enquireLinksAnswered > 0 && sim.stats.enquireLinksReceived > 0, 'enquire_link both ways');

    // Assert
    expect(sim.stats).toMatchObject({ binds: 1, bindFailures: 0 });
    expect((await kannel.smscStatus()).online).toBe(true);
  });

  it('when a GSM text goes through sendsms, then it arrives as data_coding 0 and the dlr-url hears accepted (8) then delivered (1) with our message id', async () => {
    // Arrange
    const text = 'Code 4711 @ £5 {ok} [x] €';

    // Act
    const res = await kannel.sendSms({ to: '+447700900001', from: 'ACME', text, dlrUrl: dlr.urlFor('gsm'), dlrMask: 31 });
    const delivered = await dlr.waitFor((h) => h.ref === 'gsm' && h.type === 1);
    const accepted = await dlr.waitFor((h) => h.ref === 'gsm' && h.type === 8);

    // Assert
    expect(res).toMatchObject({ status: 202, accepted: true });
    const [sm] = submitsTo('447700900001');
    expect(sm).toMatchObject({
      systemId: 'kannel', text, dataCoding: 0, esmClass: 0x03, registeredDelivery: 0x11,
      source: { ton: 5, npi: 0, addr: 'ACME' }, destination: { ton: 1, npi: 1 },
    });
    expect(sm.udh).toBeUndefined();
    expect(accepted).toMatchObject({ msgid: sm.messageId, reply: 'ACK/' });
    expect(delivered).toMatchObject({ msgid: sm.messageId, smsc: kannel.smscId });
    expect(delivered.reply).toMatch(/^id:\d+ sub:001 dlvrd:001 .* stat:DELIVRD err:000 /);
  });

  it('when a GSM text longer than 160 characters is sent, then Kannel splits it into UDH-concatenated parts that reassemble to the text', async () => {
    // Arrange
    const text = 'Long message @ £ part of an interop test, forty-something chars. '.repeat(4).trim();
    expect(text.length).toBeGreaterThan(160);

    // Act
    const res = await kannel.sendSms({ to: '+447700900002', from: '+447700900000', text, dlrUrl: dlr.urlFor('long'), dlrMask: 31 });
    const delivered = await dlr.waitFor((h) => h.ref === 'long' && h.type === 1);

    // Assert
    expect(res.accepted).toBe(true);
    const parts = submitsTo('447700900002');
    expect(parts).toHaveLength(2);
    const ref = parts[0].udh!.toString('hex').slice(6, 8);
    expect(parts.map((p) => p.udh?.toString('hex'))).toEqual([`050003${ref}0201`, `050003${ref}0202`]);
    expect(parts.map((p) => [p.esmClass, p.dataCoding])).toEqual([[0x43, 0], [0x43, 0]]);
    expect(parts[0].text).toHaveLength(153);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts[0].source).toEqual({ ton: 1, npi: 1, addr: '447700900000' });
    // Kannel 1.4.5 asks for a receipt on the first part only and reports that one.
    expect(parts.map((p) => p.registeredDelivery)).toEqual([0x11, 0]);
    expect(delivered.msgid).toBe(parts[0].messageId);
  });

  it('when a Unicode text is sent with coding=2, then it arrives as UCS-2 (data_coding 8) intact, astral characters included', async () => {
    // Arrange
    const text = '验证码 123456，请勿泄露 Привет 😀';

    // Act
    const res = await kannel.sendSms({ to: '+8613800138003', from: 'ACME', text, coding: 2, dlrUrl: dlr.urlFor('ucs2'), dlrMask: 31 });
    const delivered = await dlr.waitFor((h) => h.ref === 'ucs2' && h.type === 1);

    // Assert
    expect(res.accepted).toBe(true);
    const [sm] = submitsTo('8613800138003');
    expect(sm).toMatchObject({ text, dataCoding: 8, esmClass: 0x03 });
    expect(delivered.msgid).toBe(sm.messageId);
  });

  it('when the destination is undeliverable, then the dlr-url receives a failure (2) with the receipt text', async () => {
    // Act
    await kannel.sendSms({ to: '+447700900007', from: 'ACME', text: 'to an undeliverable number', dlrUrl: dlr.urlFor('undeliv'), dlrMask: 31 });
    const failed = await dlr.waitFor((h) => h.ref === 'undeliv' && h.type === 2);

    // Assert
    expect(failed.msgid).toBe(submitsTo('447700900007')[0].messageId);
    expect(failed.reply).toMatch(/stat:UNDELIV err:001/);
    expect(dlr.hits.some((h) => h.ref === 'undeliv' && h.type === 1)).toBe(false);
  });

  it('when the SMPP server refuses the submit, then the dlr-url receives SMSC-rejected (16) with the command_status', async () => {
    // Act
    await kannel.sendSms({ to: '+447700900009', from: 'ACME', text: 'refused at submit', dlrUrl: dlr.urlFor('refused'), dlrMask: 31 });
    const rejected = await dlr.waitFor((h) => h.ref === 'refused' && h.type === 16);

    // Assert
    expect(submitsTo('447700900009')[0].status).toBe(0x45);
    expect(rejected.reply).toBe('NACK/0x00000045/Submit failed');
  });
});

describe.skipIf(kannelMissingReason)(`Kannel msg-id-type against receipts that quote the id only in text, in decimal${skipNote}`, () => {
  let sim: SmscSimulator;
  let dlr: DlrReceiver;
  const kannels: KannelInstance[] = [];

  beforeAll(async () => {
    // The simulator answers submit_sm with a hex id and, text-only, quotes it in decimal.
    sim = await startSmscSimulator({ receiptForm: 'text', receiptDelayMs: 50, recordSubmits: true });
    dlr = await startDlrReceiver();
    const started = await Promise.allSettled([
      startKannel({ smsc: { host: '127.0.0.1', port: sim.port, systemId: 'as-is', password: 'pw' } }),
      startKannel({ smsc: { host: '127.0.0.1', port: sim.port, systemId: 'hex-dec', password: 'pw', msgIdType: 1 } }),
    ]);
    for (const r of started) if (r.status === 'fulfilled') kannels.push(r.value); // afterAll stops these
    for (const r of started) if (r.status === 'rejected') throw r.reason;
  });

  afterAll(async () => {
    await Promise.all(kannels.map((k) => k.stop()));
    await dlr?.close();
    await sim?.stop();
  });

  it('when msg-id-type is unset, then Kannel cannot match the receipt (and still acks it); when it is 1, then it matches in decimal', async () => {
    // Arrange
    const [asIs, hexDec] = kannels;

    // Act
    await asIs.sendSms({ to: '+447700900011', from: 'ACME', text: 'as-is', dlrUrl: dlr.urlFor('as-is'), dlrMask: 31 });
    await hexDec.sendSms({ to: '+447700900021', from: 'ACME', text: 'hex-dec', dlrUrl: dlr.urlFor('hex-dec'), dlrMask: 31 });
    const matched = await dlr.waitFor((h) => h.ref === 'hex-dec' && h.type === 1);
    await until(() => asIs.log('bearerbox').includes('got DLR but could not find message'), 'unmatched receipt logged');
    await dlr.waitFor((h) => h.ref === 'as-is' && h.type === 8);

    // Assert
    const hexId = sim.submits.find((s) => s.destination.addr === '447700900021')!.messageId!;
    expect(matched.msgid).toBe(String(parseInt(hexId, 16)));
    expect(dlr.hits.filter((h) => h.ref === 'as-is').map((h) => h.type)).toEqual([8]);
    // Unmatched or not, Kannel acknowledges every receipt: a server never hears of a mismatch.
    await until(() => sim.stats.receiptsAcked === 2, 'both receipts acknowledged');
    expect(sim.stats.receiptsSent).toBe(2);
  });
});
