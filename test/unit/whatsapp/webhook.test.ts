import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../../src/channels/whatsapp/webhook-signature.js';
import { webhookEvents, webhookPayloadSchema } from '../../../src/channels/whatsapp/cloud-api-webhook.js';

const SECRET = 'app-secret-1';

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  it('when the header is the HMAC-SHA256 of the raw body with the app secret, then it verifies', () => {
    const header = 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex');
    expect(signWebhook(SECRET, body)).toBe(header);
    expect(verifyWebhookSignature(SECRET, body, header)).toBe(true);
    expect(verifyWebhookSignature(SECRET, body, header.toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
  });

  it('when one byte of the body changes, then it does not verify', () => {
    const header = signWebhook(SECRET, body);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 2] = '1'.charCodeAt(0);
    expect(verifyWebhookSignature(SECRET, tampered, header)).toBe(false);
  });

  it('when the body is the same JSON re-serialised differently, then it does not verify (raw bytes count)', () => {
    const raw = Buffer.from('{"a":"\\u00e9"}');
    expect(verifyWebhookSignature(SECRET, Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), signWebhook(SECRET, raw))).toBe(false);
  });

  it('when the secret is wrong, the header missing, not hex, the wrong length or another scheme, then it does not verify', () => {
    const good = signWebhook(SECRET, body);
    expect(verifyWebhookSignature('other', body, good)).toBe(false);
    for (const h of [undefined, '', 'sha256=', 'sha256=zz' + good.slice(9), good.slice(0, -2), 'sha1=' + good.slice(7)]) {
      expect(verifyWebhookSignature(SECRET, body, h), String(h)).toBe(false);
    }
  });
});

describe('webhook payloads', () => {
  const value = (v: Record<string, unknown>) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: 'PN1' }, ...v } }] }],
  });

  it('when statuses arrive, then each becomes an event with its time, our callback data and the first error', () => {
    const events = webhookEvents(webhookPayloadSchema.parse(value({ statuses: [
      { id: 'wamid.1', status: 'delivered', timestamp: '1893459600', recipient_id: '919876543210', biz_opaque_callback_data: 'wam_1', conversation: { id: 'c' } },
      { id: 'wamid.2', status: 'failed', timestamp: '1893459601', recipient_id: '919876543218', errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'not a user' } }] },
      { id: 'wamid.3', status: 'deleted', timestamp: '1893459602', recipient_id: '919876543210' },
    ] })));
    expect(events).toEqual([
      { kind: 'status', phoneNumberId: 'PN1', providerMessageId: 'wamid.1', status: 'delivered', at: new Date(1893459600_000), recipientId: '919876543210', callbackData: 'wam_1', error: undefined },
      { kind: 'status', phoneNumberId: 'PN1', providerMessageId: 'wamid.2', status: 'failed', at: new Date(1893459601_000), recipientId: '919876543218', callbackData: undefined, error: { code: 131026, title: 'Message undeliverable', details: 'not a user' } },
    ]);
  });

  it('when a user sends text, a button reply or an image, then each becomes one line of text with its reply context', () => {
    const events = webhookEvents(webhookPayloadSchema.parse(value({
      contacts: [{ wa_id: '919876543210', profile: { name: 'Ana' } }],
      messages: [
        { from: '919876543210', id: 'wamid.in1', timestamp: '1893459600', type: 'text', text: { body: 'hi' } },
        { from: '919876543210', id: 'wamid.in2', timestamp: '1893459601', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } }, context: { from: '15550000000', id: 'wamid.out' } },
        { from: '919876543210', id: 'wamid.in3', timestamp: '1893459602', type: 'image', image: { id: 'media1' } },
      ],
    })));
    expect(events.map((e) => e.kind === 'inbound' && [e.text, e.contextId, e.profileName])).toEqual([['hi', undefined, 'Ana'], ['Yes', 'wamid.out', 'Ana'], ['[image]', undefined, 'Ana']]);
  });

  it('when a change is for another field, then it is skipped; when a messages change is malformed, then parsing throws', () => {
    const other = { object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'account_update', value: { anything: true } }] }] };
    expect(webhookEvents(webhookPayloadSchema.parse(other))).toEqual([]);
    expect(() => webhookEvents(webhookPayloadSchema.parse(value({ statuses: [{ id: 'x', status: 'sent' }] })))).toThrow();
  });
});
