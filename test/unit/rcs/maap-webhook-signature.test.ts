/**
 * The MaaP webhook's signature: checked on the raw body before parsing, so a body re-serialised by
 * anyone in between (spacing, escapes) is refused, as is a stale or missing signature.
 */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { rcsWebhookRouter } from '../../../src/http/routes/rcs-webhook.routes.js';
import { errorHandler } from '../../../src/http/error-handler.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { signCallback } from '../../../src/receipts/callback-signer.js';
import { DEFAULT_SIM_RULES, parseSimRules, simStatuses } from '../../../src/channels/rcs/maap-simulator-rules.js';

const SECRET = 'test-maap-webhook-secret';

function app() {
  const received: unknown[] = [];
  const a = express();
  a.use(rcsWebhookRouter({ secret: SECRET, service: { handleWebhook: async (p) => { received.push(p); return { statuses: 1, inbound: 0, ignored: 0 }; } } }));
  a.use(errorHandler(silentLogger));
  return { api: request(a), received };
}

const raw = '{"notifications":[{"type":"deliveryInfo","messageId":"rcm_1","text":"caf\\u00e9"}]}';
const post = (api: ReturnType<typeof request>, body: string, sig?: string) => {
  const r = api.post('/webhooks/rcs').set('Content-Type', 'application/json');
  return (sig ? r.set('X-Maap-Signature', sig) : r).send(body);
};

describe('MaaP webhook signature', () => {
  it('when the signature is the HMAC of the raw bytes, then the payload is handed over', async () => {
    const { api, received } = app();
    await post(api, raw, signCallback(SECRET, raw)).expect(200);
    expect(received).toEqual([JSON.parse(raw)]);
  });

  it('when the same JSON is re-serialised (é instead of \\u00e9), then the signature of the original does not cover it', async () => {
    const { api, received } = app();
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).not.toBe(raw);
    const res = await post(api, reserialised, signCallback(SECRET, raw)).expect(401);
    expect(res.body.error).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID', field: 'X-Maap-Signature' });
    expect(received).toEqual([]);
  });

  it('when the signature is missing, made with another secret, or older than 5 minutes, then it is refused', async () => {
    const { api, received } = app();
    await post(api, raw).expect(401);
    await post(api, raw, signCallback('another-secret', raw)).expect(401);
    await post(api, raw, signCallback(SECRET, raw, Date.now() - 301_000)).expect(401);
    expect(received).toEqual([]);
  });
});

describe('MaaP simulator rules', () => {
  it('when the default rules are read, then every digit has an outcome and statuses follow it', () => {
    const rules = parseSimRules(DEFAULT_SIM_RULES);
    expect(Object.keys(rules).sort().join('')).toBe('0123456789');
    expect(simStatuses(rules['7'], false)).toEqual(['DeliveryImpossible']);
    expect(simStatuses(rules['7'], true)).toEqual(['DeliveredToNetwork']);
    expect(simStatuses(rules['6'], false)).toEqual(['MessageSent', 'DeliveredToTerminal']);
  });

  it('when rules leave a digit out, give one twice, or name an unknown outcome, then they are refused', () => {
    expect(() => parseSimRules('supported:012345678')).toThrow(/digits 9/);
    expect(() => parseSimRules('supported:0123456789,invalid:9')).toThrow(/twice/);
    expect(() => parseSimRules('great:0123456789')).toThrow(/expected/);
  });
});
