/**
 * SMPP client adapter against the bundled SMSC simulator over real TCP on an ephemeral port.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryReport, MoMessage, OutboundMessage } from '../../src/channels/channel-adapter.js';
import { SmppClientAdapter, type SmppClientOptions, type SmppWarning } from '../../src/channels/smpp/smpp-client.adapter.js';
import { startSmscSimulator, type SmscSimulator, type SmscSimulatorOptions } from '../../src/channels/smpp/smsc-simulator.js';

interface Pair {
  sim: SmscSimulator;
  adapter: SmppClientAdapter;
  receipts: DeliveryReport[];
  mos: MoMessage[];
  warnings: SmppWarning[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startPair(simOpts: SmscSimulatorOptions = {}, adapterOpts: Partial<SmppClientOptions> = {}, start = true): Promise<Pair> {
  const sim = await startSmscSimulator({ receiptDelayMs: 20, recordSubmits: true, credentials: { esme: 'secret' }, ...simOpts });
  const warnings: SmppWarning[] = [];
  const adapter = new SmppClientAdapter({
    id: 'sim-test',
    host: '127.0.0.1',
    port: sim.port,
    systemId: 'esme',
    password: 'secret',
    reconnect: { minMs: 50, maxMs: 200 },
    responseTimeoutMs: 2_000,
    onWarning: (w) => warnings.push(w),
    ...adapterOpts,
  });
  const receipts: DeliveryReport[] = [];
  const mos: MoMessage[] = [];
  adapter.onReceipt((r) => receipts.push(r));
  adapter.onMo((m) => mos.push(m));
  cleanups.push(() => sim.stop(), () => adapter.stop());
  if (start) await adapter.start();
  return { sim, adapter, receipts, mos, warnings };
}

function message(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return { messageId: 'm1', from: 'ACME', to: '+447700900001', parts: ['Hello'], encoding: 'gsm7', requestReceipt: true, ...over };
}

async function waitFor(cond: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SMPP adapter ↔ SMSC simulator', () => {
  it('when a single GSM message is submitted, then it is accepted and its receipt maps to the upstream id', async () => {
    const { sim, adapter, receipts } = await startPair();
    const out = await adapter.submit(message({ parts: ['Hello {world} €5 @home'] }));
    expect(out).toEqual({ ok: true, upstreamIds: [expect.stringMatching(/^[0-9a-f]+$/)] });
    const seen = sim.submits[0];
    expect(seen).toMatchObject({ dataCoding: 0, esmClass: 0, registeredDelivery: 1, text: 'Hello {world} €5 @home' });
    expect(seen.source).toEqual({ ton: 5, npi: 0, addr: 'ACME' });
    expect(seen.destination).toEqual({ ton: 1, npi: 1, addr: '447700900001' });
    await waitFor(() => receipts.length === 1);
    expect(receipts[0]).toMatchObject({ upstreamId: out.upstreamIds[0], stat: 'DELIVRD', err: '000' });
  });

  it('when a long GSM message has 3 parts, then each carries the concat UDH and gets its own receipt', async () => {
    const { sim, adapter, receipts } = await startPair();
    const parts = ['A'.repeat(153), 'B'.repeat(153), 'the end'];
    const out = await adapter.submit(message({ parts, from: '+447700900000' }));
    expect(out.ok).toBe(true);
    expect(out.upstreamIds).toHaveLength(3);
    const udhs = sim.submits.map((s) => s.udh!.toString('hex'));
    const ref = udhs[0].slice(6, 8);
    expect(udhs).toEqual([`050003${ref}0301`, `050003${ref}0302`, `050003${ref}0303`]);
    expect(sim.submits.every((s) => s.esmClass === 0x40 && s.dataCoding === 0)).toBe(true);
    expect(sim.submits.map((s) => s.text).join('')).toBe(parts.join(''));
    expect(sim.submits[0].source).toEqual({ ton: 1, npi: 1, addr: '447700900000' });
    await waitFor(() => receipts.length === 3);
    expect(receipts.map((r) => r.upstreamId).sort()).toEqual([...out.upstreamIds].sort());
  });

  it('when Chinese text with emoji is sent as UCS-2, then data_coding is 8 and the SMSC decodes it intact', async () => {
    const { sim, adapter } = await startPair();
    const text = '你好，世界！验证码 123456 😀🎉';
    const out = await adapter.submit(message({ parts: [text], encoding: 'ucs2', from: '106900' }));
    expect(out.ok).toBe(true);
    expect(sim.submits[0]).toMatchObject({ dataCoding: 8, text, source: { ton: 3, npi: 0, addr: '106900' } });
  });

  it('when receipts carry only the decimal text id, then they still map to the hex submit ids', async () => {
    const { adapter, receipts } = await startPair({ receiptForm: 'text' });
    const out = await adapter.submit(message({ to: '+447700900007' }));
    await waitFor(() => receipts.length === 1);
    expect(receipts[0].raw).toMatch(/^id:\d+ /);
    expect(receipts[0]).toMatchObject({ upstreamId: out.upstreamIds[0], stat: 'UNDELIV', err: '001' });
  });

  it('when the number is rejected at submit, then the error carries the SMPP status and is final', async () => {
    const { adapter } = await startPair();
    const out = await adapter.submit(message({ to: '+447700900009' }));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ code: 'SMPP_REJECTED', providerCode: 0x45, retryable: false });
    expect(out.upstreamIds).toEqual([]);
  });

  it('when the SMSC throttles, then the adapter backs off and succeeds once throttling stops', async () => {
    const { sim, adapter } = await startPair({ fault: { mode: 'throttled' } }, { throttleBackoff: { minMs: 30, maxMs: 100 } });
    const pending = adapter.submit(message());
    await waitFor(() => sim.stats.throttled >= 3);
    sim.setFault({ mode: 'none' });
    const out = await pending;
    expect(out.ok).toBe(true);
    expect(adapter.stats().throttled).toBeGreaterThanOrEqual(3);
  });

  it('when throttling never stops, then the part fails retryable after maxAttempts', async () => {
    const { adapter } = await startPair({ fault: { mode: 'throttled' } }, { throttleBackoff: { minMs: 5, maxMs: 10, maxAttempts: 3 } });
    const out = await adapter.submit(message());
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatchObject({ code: 'SMPP_THROTTLED', providerCode: 0x58, retryable: true });
  });

  it('when the SMSC never answers, then the submit fails with retryable SMPP_TIMEOUT', async () => {
    const { adapter } = await startPair({ fault: { mode: 'noResponse' } }, { responseTimeoutMs: 200 });
    const t0 = Date.now();
    const out = await adapter.submit(message());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatchObject({ code: 'SMPP_TIMEOUT', retryable: true });
  });

  it('when the SMSC answers generic_nack, then the error carries its status', async () => {
    const { adapter } = await startPair({ fault: { mode: 'nack' } });
    const out = await adapter.submit(message());
    if (out.ok) throw new Error('expected failure');
    expect(out.error).toMatchObject({ code: 'SMPP_GENERIC_NACK', providerCode: 0x08, retryable: true });
  });

  it('when the connection drops mid-window, then in-flight submits fail retryable and the bind comes back', async () => {
    const { sim, adapter } = await startPair({ fault: { mode: 'dropConnection', onSubmit: 3 }, responseDelayMs: 50 });
    const outs = await Promise.all([1, 2, 3, 4].map((i) => adapter.submit(message({ messageId: `m${i}` }))));
    expect(outs.every((o) => !o.ok && o.error.retryable && o.error.code === 'SMPP_DISCONNECTED')).toBe(true);
    expect(sim.stats.dropped).toBe(1);
    await waitFor(() => adapter.isReady());
    expect((await adapter.submit(message())).ok).toBe(true);
    expect(sim.stats.binds).toBe(2);
    expect(adapter.stats().reconnects).toBe(1);
  });

  it('when MO is injected, then onMo receives it, long ones reassembled', async () => {
    const { sim, mos } = await startPair();
    await sim.injectMo('+447700900123', 'ACME', 'STOP');
    const long = 'Reply with a long story. '.repeat(10);
    await sim.injectMo('+447700900124', '106900', long);
    await sim.injectMo('+8613800138000', '106900', '退订 谢谢😀');
    await waitFor(() => mos.length === 3);
    expect(mos.map(({ from, to, text }) => ({ from, to, text }))).toEqual([
      { from: '+447700900123', to: 'ACME', text: 'STOP' },
      { from: '+447700900124', to: '106900', text: long },
      { from: '+8613800138000', to: '106900', text: '退订 谢谢😀' },
    ]);
  });

  it('when the window is 1, then the SMSC never sees more than 1 outstanding submit', async () => {
    const { sim, adapter } = await startPair({ responseDelayMs: 15 }, { window: 1 });
    const outs = await Promise.all(Array.from({ length: 8 }, (_, i) => adapter.submit(message({ messageId: `w${i}` }))));
    expect(outs.every((o) => o.ok)).toBe(true);
    expect(sim.stats.maxOutstanding).toBe(1);
  });

  it('when the window is 4, then the SMSC does see 4 outstanding (the count is real)', async () => {
    const { sim, adapter } = await startPair({ responseDelayMs: 15 }, { window: 4 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => adapter.submit(message({ messageId: `w${i}` }))));
    expect(sim.stats.maxOutstanding).toBe(4);
  });

  it('when submitsPerSecond is set, then the bind never exceeds it', async () => {
    const { adapter } = await startPair({}, { submitsPerSecond: 100 });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => adapter.submit(message({ messageId: `r${i}`, requestReceipt: false }))));
    // burst of 10, then 20 more at 100/s ≥ 200 ms
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
  });

  it('when the password is wrong, then start rejects with the bind status and the adapter is not ready', async () => {
    const { adapter, sim } = await startPair({}, { password: 'wrong' }, false);
    await expect(adapter.start()).rejects.toMatchObject({ code: 'SMPP_BIND_FAILED', providerCode: 0x0d });
    expect(adapter.isReady()).toBe(false);
    expect(sim.stats.bindFailures).toBe(1);
    const out = await adapter.submit(message());
    expect(out.ok || out.error.code).toBe('SMPP_NOT_BOUND');
  });

  it('when a part is too long for one SMS, then it fails as invalid without reaching the SMSC', async () => {
    const { adapter, sim } = await startPair();
    const out = await adapter.submit(message({ parts: ['x'.repeat(161)] }));
    expect(out.ok || out.error).toMatchObject({ code: 'SMPP_INVALID_MESSAGE', retryable: false });
    expect(sim.stats.submits).toBe(0);
  });

  it('when both sides send enquire_link, then both are answered and nothing is reported', async () => {
    const { sim, adapter, warnings } = await startPair({ enquireLinkMs: 30 }, { enquireLinkMs: 30 });
    await waitFor(() => sim.stats.enquireLinksReceived >= 2 && sim.stats.enquireLinksAnswered >= 2);
    expect(adapter.isReady()).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('when the peer sends a malformed PDU, then the adapter drops the connection and rebinds', async () => {
    // Hand-rolled peer: a valid bind_transceiver_resp, then a header claiming a 4 GB PDU.
    let connections = 0;
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      connections++;
      socket.once('data', (bind) => {
        const resp = Buffer.from('00000012800000090000000000000000' + '7800', 'hex');
        bind.copy(resp, 12, 12, 16); // echo the bind's sequence number
        socket.write(resp);
        if (connections === 1) setTimeout(() => socket.write(Buffer.from('ffffffff0000000400000000', 'hex')), 20);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { sockets.forEach((s) => s.destroy()); server.close(() => r()); }));
    const warnings: SmppWarning[] = [];
    const adapter = new SmppClientAdapter({
      id: 'garbage', host: '127.0.0.1', port: (server.address() as AddressInfo).port, systemId: 'x', password: 'y',
      reconnect: { minMs: 20, maxMs: 50 }, enquireLinkMs: 60_000, responseTimeoutMs: 200, onWarning: (w) => warnings.push(w),
    });
    cleanups.push(() => adapter.stop());
    await adapter.start();
    await waitFor(() => connections === 2 && adapter.isReady());
    expect(adapter.stats().reconnects).toBe(1);
    expect(warnings.map((w) => w.code)).toContain('SMPP_CONNECTION_ERROR');
  });

  it('when stopped with receipts still due, then the bind closes cleanly and further submits fail retryable', async () => {
    const { adapter } = await startPair({ receiptDelayMs: 5_000 });
    expect((await adapter.submit(message())).ok).toBe(true);
    await adapter.stop();
    expect(adapter.isReady()).toBe(false);
    const out = await adapter.submit(message());
    expect(out.ok || out.error).toMatchObject({ code: 'SMPP_STOPPED', retryable: true });
  });
});
