/**
 * Interop: our SMPP client adapter against Net::SMPP (Perl, libnet-smpp-perl) acting as the SMSC.
 * The Perl side reports what it received as JSON lines; we check data_coding, UDH and payload
 * bytes, and that its receipts (hex id in the resp, decimal in the receipt text) map back.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryReport } from '../../src/channels/channel-adapter.js';
import { encodeGsm7, encodeUcs2 } from '../../src/channels/smpp/gsm7-codec.js';
import { SmppClientAdapter, type SmppWarning } from '../../src/channels/smpp/smpp-client.adapter.js';

const SCRIPT = fileURLToPath(new URL('./net-smpp-smsc.pl', import.meta.url));
const hasNetSmpp = spawnSync('perl', ['-MNet::SMPP', '-e1']).status === 0;

type PerlEvent = Record<string, unknown> & { event: string };

interface PerlSmsc {
  child: ChildProcessWithoutNullStreams;
  port: number;
  events: PerlEvent[];
  exited: Promise<number | null>;
}

async function startPerlSmsc(): Promise<PerlSmsc> {
  const child = spawn('perl', [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: PerlEvent[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const e = JSON.parse(line) as PerlEvent;
      events.push(e);
      if (e.event === 'listening') resolve(Number(e.port));
    });
    void exited.then((code) => reject(new Error(`net-smpp-smsc.pl exited ${code}: ${stderr}`)));
  });
  return { child, port, events, exited };
}

async function waitFor(cond: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

let smsc: PerlSmsc | undefined;
afterEach(() => {
  if (smsc && smsc.child.exitCode === null) smsc.child.kill();
  smsc = undefined;
});

if (!hasNetSmpp) {
  describe('interop with Net::SMPP (Perl)', () => {
    it.skip('skipped: `perl -MNet::SMPP -e1` failed; install libnet-smpp-perl to run the interop test', () => undefined);
  });
} else {
  describe('interop with Net::SMPP (Perl)', () => {
    it('when our adapter binds to a Net::SMPP SMSC, then long GSM and Unicode submits arrive intact and receipts map back', async () => {
      smsc = await startPerlSmsc();
      const warnings: SmppWarning[] = [];
      const receipts: DeliveryReport[] = [];
      const adapter = new SmppClientAdapter({
        id: 'perl',
        host: '127.0.0.1',
        port: smsc.port,
        systemId: 'interop',
        password: 'pw',
        reconnect: { minMs: 100, maxMs: 500 },
        responseTimeoutMs: 3_000,
        onWarning: (w) => warnings.push(w),
      });
      adapter.onReceipt((r) => receipts.push(r));
      await adapter.start();

      const gsmParts = ['Long GSM text with {braces} and €uro '.repeat(3), 'second part @ £5 ~ end'];
      const gsm = await adapter.submit({
        messageId: 'g', from: 'ACME', to: '+447700900001', parts: gsmParts, encoding: 'gsm7', requestReceipt: true,
      });
      const uni = await adapter.submit({
        messageId: 'u', from: '+447700900000', to: '+8613800138000', parts: ['验证码 123456，请勿泄露 😀'], encoding: 'ucs2', requestReceipt: true,
      });
      expect([gsm, uni].map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(['ok', 'ok']);
      await waitFor(() => receipts.length === 3);
      await waitFor(() => smsc!.events.some((e) => e.event === 'enquire_link_resp'));
      await adapter.stop();
      expect(await smsc.exited).toBe(0);

      const ev = smsc.events;
      expect(ev.find((e) => e.event === 'bind_transceiver')).toMatchObject({ system_id: 'interop', password: 'pw', interface_version: 0x34 });
      const submits = ev.filter((e) => e.event === 'submit_sm');
      expect(submits).toHaveLength(3);
      const [g1, g2, u] = submits;
      const ref = String(g1.udh_hex).slice(6, 8);
      expect(g1).toMatchObject({ data_coding: 0, esm_class: 0x40, udh_hex: `050003${ref}0201`, body_hex: encodeGsm7(gsmParts[0]).toString('hex') });
      expect(g2).toMatchObject({ data_coding: 0, esm_class: 0x40, udh_hex: `050003${ref}0202`, body_hex: encodeGsm7(gsmParts[1]).toString('hex') });
      expect(g1).toMatchObject({ source_addr: 'ACME', source_addr_ton: 5, source_addr_npi: 0, destination_addr: '447700900001', dest_addr_ton: 1, dest_addr_npi: 1, registered_delivery: 1 });
      expect(u).toMatchObject({ data_coding: 8, esm_class: 0, udh_hex: '', body_hex: encodeUcs2('验证码 123456，请勿泄露 😀').toString('hex') });
      expect(u).toMatchObject({ source_addr: '447700900000', source_addr_ton: 1, source_addr_npi: 1 });

      // Perl answered with upper-case hex ids and quoted them in decimal in the receipts.
      expect(gsm.upstreamIds).toEqual([String(g1.message_id).toLowerCase(), String(g2.message_id).toLowerCase()]);
      expect(receipts.map((r) => r.upstreamId).sort()).toEqual([...gsm.upstreamIds, ...uni.upstreamIds].sort());
      expect(receipts.every((r) => r.stat === 'DELIVRD' && r.err === '000')).toBe(true);
      expect(ev.filter((e) => e.event === 'deliver_sm_resp').every((e) => e.status === 0)).toBe(true);
      expect(ev.find((e) => e.event === 'enquire_link_resp')).toMatchObject({ status: 0 });
      expect(ev.some((e) => e.event === 'unbind')).toBe(true);
      expect(warnings).toEqual([]);
    });
  });
}
