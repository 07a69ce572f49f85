import { describe, expect, it } from 'vitest';
import { PairRateLimit, SIM_RULES, ThroughputLimit, seededRandom, simOutcome, statusesFor } from '../../../src/channels/whatsapp/simulator-rules.js';
import { ChannelError } from '../../../src/channels/channel-adapter.js';
import { classifyCloudError } from '../../../src/channels/whatsapp/whatsapp.adapter.js';

describe('WhatsApp simulator number rules', () => {
  it('when the last digit is 0–9, then the outcome follows the documented table', () => {
    const byDigit = Array.from({ length: 10 }, (_, d) => simOutcome(`+9198765432${d}${d}`));
    expect(byDigit).toEqual(['read', 'read', 'read', 'read', 'read', 'read', 'delivered', 'sent', 'not_on_whatsapp', 'rejected']);
    expect(SIM_RULES.map((r) => r.outcome)).toEqual(['read', 'delivered', 'sent', 'not_on_whatsapp', 'rejected']);
  });

  it('when an outcome is accepted, then its statuses are the documented ones', () => {
    expect(statusesFor('read')).toEqual(['sent', 'delivered', 'read']);
    expect(statusesFor('delivered')).toEqual(['sent', 'delivered']);
    expect(statusesFor('sent')).toEqual(['sent']);
    expect(statusesFor('not_on_whatsapp')).toEqual(['failed']);
  });

  it('when 80 messages went this second, then the 81st is refused and one second later it goes', () => {
    let t = 0;
    const limit = new ThroughputLimit(80, () => t);
    expect(Array.from({ length: 81 }, () => limit.take()).filter(Boolean)).toHaveLength(80);
    t = 999;
    expect(limit.take()).toBe(false);
    t = 1000;
    expect(limit.take()).toBe(true);
  });

  it('when the same user gets a second message within 6 s, then it is refused; another user is not affected', () => {
    let t = 0;
    const pairs = new PairRateLimit(6_000, () => t);
    expect(pairs.take('a')).toBe(true);
    t = 5_999;
    expect([pairs.take('a'), pairs.take('b')]).toEqual([false, true]);
    t = 6_000;
    expect(pairs.take('a')).toBe(true);
  });

  it('when a limit is 0, then it is off', () => {
    const pairs = new PairRateLimit(0);
    const limit = new ThroughputLimit(0);
    expect(Array.from({ length: 200 }, () => pairs.take('a') && limit.take()).every(Boolean)).toBe(true);
  });

  it('when two generators share a seed, then they give the same sequence', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});

describe('Cloud API error classification', () => {
  const graph = (code: number) => ({ error: { message: `(#${code}) x`, type: 'OAuthException', code, fbtrace_id: 't' } });
  const cases: Array<[number, unknown, string, boolean, number | undefined]> = [
    [400, graph(130429), 'WHATSAPP_API_THROTTLED', true, 130429],
    [400, graph(131056), 'WHATSAPP_API_THROTTLED', true, 131056],
    [400, graph(131009), 'WHATSAPP_API_REJECTED', false, 131009],
    [400, graph(100), 'WHATSAPP_API_REJECTED', false, 100],
    [401, graph(190), 'WHATSAPP_API_AUTH_FAILED', false, 190],
    [500, graph(131000), 'WHATSAPP_API_SERVER_ERROR', true, 131000],
    [503, undefined, 'WHATSAPP_API_SERVER_ERROR', true, 503],
    [429, 'not json', 'WHATSAPP_API_THROTTLED', true, 429],
    [404, undefined, 'WHATSAPP_API_REJECTED', false, 404],
  ];

  it.each(cases)('when the API answers HTTP %i with %j, then the error is %s (retryable %s) keeping the provider code', (status, body, code, retryable, providerCode) => {
    const err = classifyCloudError(status, body);
    expect(err).toBeInstanceOf(ChannelError);
    expect({ code: err.code, retryable: err.retryable, providerCode: err.providerCode }).toEqual({ code, retryable, providerCode });
  });
});
