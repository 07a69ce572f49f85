/**
 * How the adapter splits requests over the provider's per-call limits. The provider here is a
 * fetch function that answers like the API (it records each call's body); the same splitting
 * against the real simulator over HTTP is in test/integration/smart-sms-simulator.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SmartSmsAdapter, SMART_SMS_UPSTREAM } from '../../../src/channels/smart-sms/smart-sms.adapter.js';
import type { LinkRequest } from '../../../src/channels/smart-sms/smart-sms-api.js';

function provider(opts: { failCall?: number } = {}) {
  const calls: Array<{ path: string; body: LinkRequest & { batchIds?: string[] } }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const body = JSON.parse(String(init.body));
    calls.push({ path, body });
    const json = (status: number, b: unknown) => new Response(JSON.stringify(b), { status, headers: { 'content-type': 'application/json' } });
    if (opts.failCall === calls.length) return json(503, { code: 'ServiceUnavailable', message: 'busy', requestId: 'r' });
    if (path === '/api/v1/links') {
      return json(200, { code: 'OK', message: 'success', requestId: 'r', data: {
        batchId: `B-${body.outId}`, outId: body.outId, templateId: body.templateId, type: body.type, count: body.recipients.length,
        links: body.recipients.map((r: { mobile: string }) => ({ mobile: r.mobile, url: `https://c.example/${r.mobile}` })),
      } });
    }
    return json(200, { code: 'OK', message: 'success', requestId: 'r', data: { asOf: new Date().toISOString(), reports: [], unknownBatchIds: body.batchIds } });
  }) as unknown as typeof fetch;
  return { calls, adapter: new SmartSmsAdapter({ baseUrl: 'http://provider.test', appKey: 'k', appSecret: 'secret-1', concurrency: 1, fetch: fetchImpl }) };
}

const numbers = (n: number) => Array.from({ length: n }, (_, i) => `+86139${String(i).padStart(8, '0')}`);

describe('smart-SMS adapter call splitting', () => {
  it('when links for 25,000 recipients are requested, then three calls of 10,000, 10,000 and 5,000 go out and links come back in input order', async () => {
    // Arrange
    const { calls, adapter } = provider();
    const recipients = numbers(25_000).map((number) => ({ number, customUrl: 'https://h5.example/x' }));
    // Act
    const res = await adapter.requestLinks({ templateId: 'CST_1', domain: 'c.example', outId: 'req1', type: 'personalised', recipients });
    // Assert
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(calls.map((c) => c.body.recipients.length)).toEqual([10_000, 10_000, 5_000]);
    expect(calls.map((c) => c.body.outId)).toEqual(['req1:0', 'req1:1', 'req1:2']);
    expect(res.value.batches).toEqual([
      { batchId: 'B-req1:0', outId: 'req1:0', count: 10_000 },
      { batchId: 'B-req1:1', outId: 'req1:1', count: 10_000 },
      { batchId: 'B-req1:2', outId: 'req1:2', count: 5_000 },
    ]);
    expect(res.value.links).toHaveLength(25_000);
    expect(res.value.links.every((l, i) => l === `https://c.example/${recipients[i].number.slice(3)}`)).toBe(true);
  });

  it('when exactly 10,000 recipients are requested, then one call goes out', async () => {
    const { calls, adapter } = provider();
    const res = await adapter.requestLinks({ templateId: 'CST_1', domain: 'c.example', outId: 'r', type: 'personalised', recipients: numbers(10_000).map((number) => ({ number })) });
    expect(res.ok).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('when the second of three calls fails, then the failure is retryable and names the call that succeeded', async () => {
    const { calls, adapter } = provider({ failCall: 2 });
    const res = await adapter.requestLinks({ templateId: 'CST_1', domain: 'c.example', outId: 'r', type: 'personalised', recipients: numbers(25_000).map((number) => ({ number })) });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error).toMatchObject({ code: SMART_SMS_UPSTREAM.SERVER, retryable: true, providerCode: 'ServiceUnavailable' });
    expect(res.completed).toEqual([{ batchId: 'B-r:0', outId: 'r:0', count: 10_000 }]);
    // With one call in flight at a time, nothing is started after the failure.
    expect(calls).toHaveLength(2);
  });

  it('when a recipient is not a mainland mobile, then nothing is sent and the error names its index, not the number', async () => {
    const { calls, adapter } = provider();
    const res = await adapter.requestLinks({ templateId: 'CST_1', domain: 'c.example', outId: 'r', type: 'personalised', recipients: [{ number: '+8613800138000' }, { number: '+14155550123' }] });
    expect(res).toMatchObject({ ok: false, error: { code: SMART_SMS_UPSTREAM.INVALID_NUMBER, retryable: false } });
    expect(res.ok ? '' : res.error.message).toContain('recipients[1]');
    expect(res.ok ? '' : res.error.message).not.toContain('4155550123');
    expect(calls).toHaveLength(0);
  });

  it('when 250 batch reports are asked for, then three report calls of 100, 100 and 50 ids go out', async () => {
    const { calls, adapter } = provider();
    const ids = Array.from({ length: 250 }, (_, i) => `B${i}`);
    const res = await adapter.batchReports(ids);
    expect(calls.map((c) => c.body.batchIds?.length)).toEqual([100, 100, 50]);
    expect(res.ok && res.value.unknownBatchIds).toEqual(ids);
  });
});
