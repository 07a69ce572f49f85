import { describe, expect, it } from 'vitest';
import { cloudSendRequestSchema } from '../../../src/channels/whatsapp/cloud-api-types.js';
import { authenticationTemplate, defaultSmsText, needsWindow, parseWhatsAppNumber, toCloudRequest, whatsAppContentSchema, type WhatsAppContent } from '../../../src/channels/whatsapp/whatsapp-content.js';
import { sendWhatsAppSchema } from '../../../src/channels/whatsapp/whatsapp-request.js';

const firstIssue = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) => {
  expect(r.success).toBe(false);
  const i = r.error!.issues[0];
  return { field: i.path.join('.'), message: i.message };
};

const button = (id: string) => ({ type: 'reply', reply: { id, title: id.toUpperCase() } });
const buttons = (n: number) => ({ type: 'interactive', interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: Array.from({ length: n }, (_, i) => button(`b${i}`)) } } });
const row = (id: string) => ({ id, title: `Row ${id}` });

describe('WhatsApp content validation', () => {
  it('when an interactive message has 3 reply buttons, then it is valid', () => {
    expect(whatsAppContentSchema.safeParse(buttons(3)).success).toBe(true);
  });

  it('when it has 4 reply buttons, then the error names interactive.action.buttons and the maximum of 3', () => {
    expect(firstIssue(whatsAppContentSchema.safeParse(buttons(4)))).toEqual({ field: 'interactive.action.buttons', message: expect.stringMatching(/<=3/) });
  });

  it('when two buttons share an id, then the second one is named', () => {
    const c = buttons(2);
    c.interactive.action.buttons[1].reply.id = 'b0';
    expect(firstIssue(whatsAppContentSchema.safeParse(c)).field).toBe('interactive.action.buttons.1.reply.id');
  });

  it('when a button title is over 20 characters, then the title is named', () => {
    const c = buttons(1);
    c.interactive.action.buttons[0].reply.title = 'x'.repeat(21);
    expect(firstIssue(whatsAppContentSchema.safeParse(c)).field).toBe('interactive.action.buttons.0.reply.title');
  });

  it('when a list spreads 11 rows over two sections, then the sections are refused (at most 10 rows in all)', () => {
    const c = { type: 'interactive', interactive: { type: 'list', body: { text: 'Choose' }, action: { button: 'Options', sections: [
      { title: 'A', rows: Array.from({ length: 6 }, (_, i) => row(`a${i}`)) },
      { title: 'B', rows: Array.from({ length: 5 }, (_, i) => row(`b${i}`)) },
    ] } } };
    expect(firstIssue(whatsAppContentSchema.safeParse(c))).toEqual({ field: 'interactive.action.sections', message: expect.stringMatching(/at most 10 rows/) });
  });

  it('when a list has 10 rows in one untitled section, then it is valid', () => {
    const c = { type: 'interactive', interactive: { type: 'list', body: { text: 'Choose' }, action: { button: 'Options', sections: [{ rows: Array.from({ length: 10 }, (_, i) => row(`r${i}`)) }] } } };
    expect(whatsAppContentSchema.safeParse(c).success).toBe(true);
  });

  it('when an authentication code is 16 characters, a URL or has an emoji, then the code is refused', () => {
    for (const code of ['1234567890123456', 'https://x.io/1', '1234🙂']) {
      const r = whatsAppContentSchema.safeParse({ type: 'authentication', authentication: { template: 'login_code', language: 'en_US', code } });
      expect(firstIssue(r).field, code).toBe('authentication.code');
    }
  });

  it('when a copy_code button carries a text parameter, then the parameter type is named', () => {
    const c = { type: 'template', template: { name: 'promo', language: { code: 'en' }, components: [{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'text', text: 'SAVE10' }] }] } };
    expect(firstIssue(whatsAppContentSchema.safeParse(c)).field).toBe('template.components.0.parameters.0.type');
  });

  it('when a template has a body parameter and a copy_code coupon button, then it is valid', () => {
    const c = { type: 'template', template: { name: 'promo', language: { code: 'en_US' }, components: [
      { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
      { type: 'button', sub_type: 'copy_code', index: '1', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE10' }] },
    ] } };
    expect(whatsAppContentSchema.safeParse(c).success).toBe(true);
  });

  it('when a text body is empty or over 4,096 characters, then text.body is named', () => {
    expect(firstIssue(whatsAppContentSchema.safeParse({ type: 'text', text: { body: '' } })).field).toBe('text.body');
    expect(firstIssue(whatsAppContentSchema.safeParse({ type: 'text', text: { body: 'x'.repeat(4097) } })).field).toBe('text.body');
  });
});

describe('WhatsApp send requests', () => {
  const auth: WhatsAppContent = { type: 'authentication', authentication: { template: 'login_code', language: 'en_US', code: '482913' } };

  it('when an authentication message is turned into a Cloud API request, then the code is the body parameter and the url button parameter', () => {
    const req = toCloudRequest(auth, '+919876543210', 'wam_1');
    expect(req).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '919876543210', biz_opaque_callback_data: 'wam_1', type: 'template',
      template: authenticationTemplate({ template: 'login_code', language: 'en_US', code: '482913' }),
    });
    expect(req.type === 'template' && req.template.components).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
    ]);
    expect(cloudSendRequestSchema.safeParse(req).success).toBe(true);
  });

  it('when a template message asks for an SMS fallback without text, then fallback.sms.text is required', () => {
    const body = { to: '+919876543210', type: 'template', template: { name: 'order_update', language: { code: 'en' } }, fallback: {} };
    expect(firstIssue(sendWhatsAppSchema.safeParse(body)).field).toBe('fallback.sms.text');
  });

  it('when a text message asks for a fallback, then the defaults apply and the SMS reuses the body', () => {
    const r = sendWhatsAppSchema.parse({ to: '+919876543210', type: 'text', text: { body: 'hello' }, fallback: {} });
    expect(r.fallback).toEqual({ condition: 'delivered', timeoutSeconds: 300, sms: { category: 'otp' } });
    expect(defaultSmsText({ type: 'text', text: { body: 'hello' } })).toBe('hello');
    expect(defaultSmsText(auth)).toBe('482913 is your verification code.');
  });

  it('when the fallback timeout is 0 or over an hour, then fallback.timeoutSeconds is named', () => {
    for (const timeoutSeconds of [0, 3601]) {
      const r = sendWhatsAppSchema.safeParse({ to: '+919876543210', type: 'text', text: { body: 'hi' }, fallback: { timeoutSeconds } });
      expect(firstIssue(r).field).toBe('fallback.timeoutSeconds');
    }
  });

  it('when the content type is free-form, then it needs the window; templates never do', () => {
    expect(['text', 'interactive', 'template', 'authentication'].map((type) => needsWindow({ type } as WhatsAppContent))).toEqual([true, true, false, false]);
  });

  it('when a number comes in wa_id form (no plus), then it is read as international; a Chinese national number stays Chinese', () => {
    expect(parseWhatsAppNumber('919876543210')).toMatchObject({ ok: true, e164: '+919876543210' });
    expect(parseWhatsAppNumber('13800138000')).toMatchObject({ ok: true, e164: '+8613800138000' });
    expect(parseWhatsAppNumber('12')).toMatchObject({ ok: false, code: 'INVALID_NUMBER' });
  });
});
