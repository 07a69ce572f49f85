/** Sets up a funded account on a platform process whose only channel is the bench's own SMSC simulator. */
import { BENCH_ADMIN_KEY } from './platform-process.js';
import { JsonClient } from './http-client.js';

export async function setUpAccount(base: string, smscPort: number, opts: { callbackUrl?: string; callbackRatePerS?: number } = {}) {
  const admin = new JsonClient(base, { authorization: `Bearer ${BENCH_ADMIN_KEY}` });
  const must = async (p: Promise<{ status: number; body: any }>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`set-up call failed ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await must(admin.request('PUT', '/v1/admin/channels/bench-smsc', { name: 'bench SMSC simulator', host: '127.0.0.1', port: smscPort, systemId: 'bench', password: 'bench', sourceAddress: '106900', windowSize: 100, submitsPerSecond: 100_000 }));
  const created = await must(admin.request('POST', '/v1/admin/accounts', {
    name: 'bench', extension: '77', callbackUrl: opts.callbackUrl ?? null, callbackRatePerS: opts.callbackRatePerS ?? 100_000,
    settings: { caps: { numberPerDay: null, contentPerMinute: null, contentPerDay: null, antiBombing: [] } },
  }));
  const id = created.account.id as string;
  await must(admin.request('POST', `/v1/admin/accounts/${id}/topup`, { amountMillis: 1_000_000_000 }));
  const client = new JsonClient(base, { authorization: `Bearer ${created.apiKey}` });
  await must(client.request('POST', '/v1/signatures', { name: '测试' }));
  await must(admin.request('PUT', `/v1/admin/accounts/${id}/signatures/${encodeURIComponent('测试')}`, { status: 'approved' }));
  admin.close();
  return { id, client };
}

/** Distinct mainland mobile numbers whose last digit is 0–6 (the simulator delivers those). */
export function deliverableNumber(k: number): string {
  return '139' + String(Math.floor(k / 7) * 10 + (k % 7)).padStart(8, '0');
}
