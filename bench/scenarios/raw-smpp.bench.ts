/**
 * Baseline: the raw `smpp` package on loopback, client and server in this process, 100 outstanding
 * submit_sm. Two figures: submits only, and the workload the platform's end-to-end path carries per
 * message (submit_sm + resp, then a deliver_sm receipt + resp), which is the fair ceiling to compare
 * the end-to-end figure with.
 */
import { createRequire } from 'node:module';
import type { Results } from '../lib/results.js';

// The package's own API, untyped on purpose: this is the baseline, not our wrapper.
const smpp = createRequire(import.meta.url)('smpp');

export async function rawSmppThroughput(total: number, withReceipts: boolean, window = 100): Promise<number> {
  const server = smpp.createServer((session: any) => {
    session.on('bind_transceiver', (pdu: any) => session.send(pdu.response()));
    let id = 0;
    session.on('submit_sm', (pdu: any) => {
      const messageId = (++id).toString(16);
      session.send(pdu.response({ message_id: messageId }));
      if (withReceipts) {
        session.deliver_sm({
          source_addr: pdu.destination_addr, destination_addr: pdu.source_addr, esm_class: 4,
          short_message: `id:${messageId} sub:001 dlvrd:001 submit date:2611231200 done date:2611231200 stat:DELIVRD err:000 text:`,
          receipted_message_id: messageId, message_state: 2,
        });
      }
    });
    session.on('enquire_link', (pdu: any) => session.send(pdu.response()));
    session.on('unbind', (pdu: any) => { session.send(pdu.response()); session.close(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = server.address().port;
  const session = smpp.connect({ url: `smpp://127.0.0.1:${port}` });
  await new Promise<void>((resolve) => session.bind_transceiver({ system_id: 'raw', password: 'raw' }, () => resolve()));
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    let sent = 0;
    let done = 0;
    const finished = () => { if (++done === total) resolve(); else pump(); };
    if (withReceipts) session.on('deliver_sm', (pdu: any) => { session.send(pdu.response()); finished(); });
    const pump = () => {
      while (sent < total && sent - done < window) {
        sent++;
        session.submit_sm({ destination_addr: '8613900000000', source_addr: '106900', data_coding: 8, short_message: Buffer.from('【测试】您的验证码是123456', 'utf16le').swap16(), registered_delivery: 1 },
          withReceipts ? () => undefined : finished);
      }
    };
    pump();
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  session.close();
  await new Promise<void>((r) => server.close(() => r()));
  return total / seconds;
}

export async function run(results: Results): Promise<{ submitOnly: number; withReceipts: number }> {
  const submitOnly = await rawSmppThroughput(100_000, false);
  results.add({ name: 'raw_smpp_submit_only_msgs_per_s', value: submitOnly, unit: 'msg/s', target: 'baseline (same run)' });
  const withReceipts = await rawSmppThroughput(100_000, true);
  results.add({ name: 'raw_smpp_msgs_per_s', value: withReceipts, unit: 'msg/s', target: 'baseline (same run): submit + receipt per message' });
  return { submitOnly, withReceipts };
}
