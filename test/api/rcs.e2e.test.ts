/**
 * 5G messages end to end: the platform with its bundled MaaP simulator, notifications coming back
 * over HTTP, signed. Simulator rules (last digit): 0–3 supported, 6 no display receipts,
 * 4, 5 and 7 not RCS-capable, 8 unknown, 9 invalid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallback } from '../../src/receipts/callback-signer.js';
import { engines } from '../support/databases.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../support/card-fixtures.js';
import { ADMIN_KEY, createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
const PROFILE = {
  name: 'Acme Shop', logoUrl: 'https://acme.example/logo.png', description: 'Orders, coupons and help from Acme.',
  colour: '#1A73E8', callbackNumber: '400-820-8820', website: 'https://acme.example', category: 'retail',
};
const MENU = [
  { text: 'Orders', submenu: [{ type: 'reply', text: 'Where is my parcel', postback: 'track' }, { type: 'openUrl', text: 'All orders', url: 'https://acme.example/orders' }] },
  { type: 'dial', text: 'Call us', phoneNumber: '400-820-8820' },
];

describe.each(engines)('5G messages end to end on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let chatbotId: string;
  let couponTemplateId: string;

  const approvedChatbot = async (auth: Record<string, string>) => {
    const created = await t.api.post('/v1/rcs/chatbots').set(auth).send({ ...PROFILE, menu: MENU }).expect(201);
    await t.api.post(`/v1/rcs/chatbots/${created.body.id}/submit`).set(auth).expect(200);
    await t.api.post(`/v1/admin/rcs/chatbots/${created.body.id}/approve`).set(admin).send({ operator: 'alice' }).expect(200);
    return created.body.id as string;
  };
  const get = async (id: string) => (await t.api.get(`/v1/rcs/messages/${id}`).set(acc.auth).expect(200)).body;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t);
    chatbotId = await approvedChatbot(acc.auth);
    const tpl = await t.api.post('/v1/cards/templates').set(acc.auth).send({ name: 'Coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }).expect(201);
    couponTemplateId = tpl.body.id;
    await t.api.post(`/v1/cards/templates/${couponTemplateId}/submit`).set(acc.auth).expect(200);
    await t.api.post(`/v1/admin/cards/templates/${couponTemplateId}/approve`).set(admin).send({}).expect(200);
  });
  afterAll(async () => t?.stop());

  it('when a chatbot is created, submitted, rejected, edited, resubmitted and approved, then each move is logged and wrong moves are refused', async () => {
    const c = (await t.api.post('/v1/rcs/chatbots').set(acc.auth).send({ ...PROFILE, menu: MENU }).expect(201)).body;
    expect(c).toMatchObject({ status: 'draft', name: 'Acme Shop', address: expect.stringMatching(/^sip:\d{12}@/) });
    expect(c.persistentMenu.menu.entries[0].menu.entries[0]).toEqual({ reply: { displayText: 'Where is my parcel', postback: { data: 'track' } } });
    await t.api.post(`/v1/admin/rcs/chatbots/${c.id}/approve`).set(admin).send({}).expect(409);
    await t.api.post(`/v1/rcs/chatbots/${c.id}/submit`).set(acc.auth).expect(200);
    const queue = (await t.api.get('/v1/admin/rcs/chatbots').set(admin).expect(200)).body.data;
    expect(queue.map((q: { id: string }) => q.id)).toContain(c.id);
    const edit = await t.api.put(`/v1/rcs/chatbots/${c.id}`).set(acc.auth).send(PROFILE).expect(409);
    expect(edit.body.error.code).toBe('RCS_CHATBOT_INVALID_TRANSITION');
    const rejected = (await t.api.post(`/v1/admin/rcs/chatbots/${c.id}/reject`).set(admin).send({ reason: 'Logo is blurred', operator: 'bob' }).expect(200)).body;
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'Logo is blurred' });
    await t.api.put(`/v1/rcs/chatbots/${c.id}/menu`).set(acc.auth).send({ menu: [{ type: 'reply', text: 'Help' }] }).expect(200);
    await t.api.post(`/v1/rcs/chatbots/${c.id}/submit`).set(acc.auth).expect(200);
    const approved = (await t.api.post(`/v1/admin/rcs/chatbots/${c.id}/approve`).set(admin).send({ operator: 'bob' }).expect(200)).body;
    expect(approved.status).toBe('approved');
    expect(approved.history.map((h: { action: string }) => h.action)).toEqual(['created', 'submitted', 'rejected', 'edited', 'submitted', 'approved']);
    expect(approved.history.at(-1)).toMatchObject({ by: 'operator:bob', from: 'submitted', to: 'approved' });
    await t.api.delete(`/v1/rcs/chatbots/${c.id}`).set(acc.auth).expect(409);
  });

  it('when a menu breaks a rule, then the chatbot is refused with RCS_MENU_INVALID naming the entry', async () => {
    const tooMany = Array.from({ length: 6 }, (_, i) => ({ type: 'reply', text: `Item ${i}` }));
    const res = await t.api.post('/v1/rcs/chatbots').set(acc.auth).send({ ...PROFILE, menu: [{ text: 'More', submenu: tooMany }] }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'RCS_MENU_INVALID', field: 'menu.0.submenu' });
  });

  it('when a card goes to a capable number, then it is sent, delivered and displayed through the simulator\'s notifications', async () => {
    const res = await t.api.post('/v1/rcs/messages').set(acc.auth)
      .send({ to: '+8613800138001', type: 'card', templateId: couponTemplateId, variables: { ...COUPON_SAMPLES, name: 'Han Meimei' }, reference: 'r-1' }).expect(202);
    expect(res.body).toMatchObject({ status: 'accepted', kind: 'rcs-card', chatbotId, reference: 'r-1' });
    const m = await waitFor(async () => { const b = await get(res.body.id); return b.status === 'read' && b; });
    expect(m.history.map((h: { status: string }) => h.status)).toEqual(['pending', 'accepted', 'sent', 'delivered', 'read']);
    expect(m.history.slice(2).map((h: { maapStatus: string }) => h.maapStatus)).toEqual(['MessageSent', 'DeliveredToTerminal', 'MessageDisplayed']);
    const posted = t.platform.maapSimulator!.messages.find((s) => s.request.messageId === res.body.id)!;
    expect(posted.request.smsSupported).toBe(false);
    const card = posted.request.messageList[0] as { contentType: string; contentText: { message: { generalPurposeCard: { content: { title: string } } } } };
    expect(card.contentType).toBe('application/vnd.gsma.botmessage.v1.0+json');
    expect(card.contentText.message.generalPurposeCard.content.title).toBe('A coupon for Han Meimei');
  });

  it('when a message goes to a number that is not RCS-capable, then it ends not_capable with DeliveryImpossible; with smsFallback it is delivered as SMS', async () => {
    const plain = await t.api.post('/v1/rcs/messages').set(acc.auth).send({ to: '+8613800138007', type: 'text', text: 'Your parcel is here' }).expect(202);
    const m = await waitFor(async () => { const b = await get(plain.body.id); return b.status === 'not_capable' && b; });
    expect(m).toMatchObject({ maapStatus: 'DeliveryImpossible', errorCode: 'RCS_DELIVERY_IMPOSSIBLE', deliveredAsSms: false });

    const withSms = await t.api.post('/v1/rcs/messages').set(acc.auth)
      .send({ to: '+8613800138017', type: 'chips', text: 'Rate us', suggestions: [{ type: 'reply', text: 'Good' }], smsFallback: { text: 'Rate us: reply 1-5' } }).expect(202);
    const s = await waitFor(async () => { const b = await get(withSms.body.id); return b.status === 'delivered' && b; });
    expect(s).toMatchObject({ deliveredAsSms: true, errorCode: 'DELIVERED_AS_SMS', kind: 'rcs-chips', smsFallback: { text: 'Rate us: reply 1-5' } });
  });

  it('when the MaaP refuses the destination, then the message is failed with RCS_REJECTED (HTTP 202)', async () => {
    const res = await t.api.post('/v1/rcs/messages').set(acc.auth).send({ to: '+8613800138009', type: 'text', text: 'hi' }).expect(202);
    expect(res.body).toMatchObject({ status: 'failed', errorCode: 'RCS_REJECTED' });
    expect(res.body.errorMessage).toContain('InvalidDestination');
  });

  it('when a message breaks a 5G limit or names the wrong card type, then nothing is sent and the field is named', async () => {
    const tooLong = await t.api.post('/v1/rcs/messages').set(acc.auth).send({ to: '+8613800138001', type: 'text', text: 'x'.repeat(3073) }).expect(400);
    expect(tooLong.body.error.field).toBe('text');
    const label = await t.api.post('/v1/rcs/messages').set(acc.auth).send({ to: '+8613800138001', type: 'chips', text: 'Pick', suggestions: [{ type: 'reply', text: 'x'.repeat(26) }] }).expect(400);
    expect(label.body.error.field).toBe('suggestions.0.text');
    const mismatch = await t.api.post('/v1/rcs/messages').set(acc.auth).send({ to: '+8613800138001', type: 'carousel', templateId: couponTemplateId, variables: COUPON_SAMPLES }).expect(400);
    expect(mismatch.body.error).toMatchObject({ code: 'RCS_CARD_TYPE_MISMATCH', field: 'templateId' });
  });

  it('when 250 numbers are checked, then the MaaP is asked in 3 calls, and a second check is answered from the cache', async () => {
    const sim = t.platform.maapSimulator!;
    const numbers = Array.from({ length: 250 }, (_, i) => `+86139${String(i).padStart(8, '0')}`);
    const before = sim.stats.capabilityCalls;
    const res = await t.api.post('/v1/rcs/capabilities').set(acc.auth).send({ numbers }).expect(200);
    expect(sim.stats.capabilityCalls - before).toBe(3);
    const byNumber = new Map(res.body.data.map((d: { number: string; capability: string }) => [d.number, d.capability]));
    expect(byNumber.get('+8613900000000')).toBe('Supported');
    expect(byNumber.get('+8613900000007')).toBe('NotSupported');
    expect(byNumber.get('+8613900000008')).toBe('Unknown');
    expect(byNumber.get('+8613900000009')).toBe('Invalid');
    await t.api.post('/v1/rcs/capabilities').set(acc.auth).send({ numbers: numbers.slice(0, 120).filter((n) => !n.endsWith('8')) }).expect(200);
    expect(sim.stats.capabilityCalls - before).toBe(3);
  });

  it('when a user sends a keyword, then the chatbot answers with a card (done when: a chatbot answers a keyword with a card)', async () => {
    await t.api.post(`/v1/rcs/chatbots/${chatbotId}/keywords`).set(acc.auth)
      .send({ matchType: 'contains', pattern: 'coupon', priority: 1, reply: { type: 'text', text: 'Coupons are on the way' } }).expect(201);
    const rule = await t.api.post(`/v1/rcs/chatbots/${chatbotId}/keywords`).set(acc.auth)
      .send({ matchType: 'regex', pattern: '^(my )?coupon$', priority: 10, reply: { type: 'card', templateId: couponTemplateId, variables: { ...COUPON_SAMPLES, name: 'Li Lei' } } }).expect(201);
    const from = '+8613800138021';
    const inbound = await t.api.post('/v1/admin/simulator/rcs/inbound').set(admin).send({ chatbotId, from, text: 'My Coupon' }).expect(200);
    expect(inbound.body.delivered).toBe(true);
    const sim = t.platform.maapSimulator!;
    const reply = await waitFor(async () => sim.messages.find((m) => m.to === from));
    const card = reply.request.messageList[0] as { contentType: string; contentText: { message: { generalPurposeCard: { content: { title: string; suggestions: unknown[] } } } } };
    expect(card.contentType).toBe('application/vnd.gsma.botmessage.v1.0+json');
    expect(card.contentText.message.generalPurposeCard.content.title).toBe('A coupon for Li Lei');
    const stored = await waitFor(async () => { const b = await get(reply.request.messageId); return b.status === 'read' && b; });
    expect(stored).toMatchObject({ origin: 'auto_reply', kind: 'rcs-card', chatbotId });
    expect(rule.body.id).toMatch(/^rkw_/);
    const reports = (await t.api.get('/v1/reports').set(acc.auth).expect(200)).body.reports;
    expect(reports.filter((r: { type: string; from?: string }) => r.type === 'mo' && r.from === from)).toEqual([]);
  });

  it('when a user taps a copy-code suggestion, then the chatbot answers with the code as text', async () => {
    const from = '+8613800138022';
    await t.api.post('/v1/admin/simulator/rcs/inbound').set(admin).send({ chatbotId, from, postback: { data: 'copyCode:SPRING20', displayText: 'Copy code' } }).expect(200);
    const reply = await waitFor(async () => t.platform.maapSimulator!.messages.find((m) => m.to === from));
    expect(reply.request.messageList).toEqual([{ contentType: 'text/plain', contentText: 'SPRING20' }]);
  });

  it('when nothing matches, then the message reaches the account as an MO report with channel rcs', async () => {
    const from = '+8613800138023';
    await t.api.post('/v1/admin/simulator/rcs/inbound').set(admin).send({ chatbotId, from, text: 'Can I change my address?' }).expect(200);
    await t.api.post('/v1/admin/simulator/rcs/inbound').set(admin).send({ chatbotId, from, postback: { data: 'track', displayText: 'Where is my parcel' } }).expect(200);
    const reports = await waitFor(async () => {
      const r = (await t.api.get('/v1/reports').set(acc.auth).expect(200)).body.reports.filter((x: { type: string; from?: string }) => x.type === 'mo' && x.from === from);
      return r.length === 2 && r;
    });
    expect(reports[0]).toMatchObject({ channel: 'rcs', chatbotId, text: 'Can I change my address?', unsubscribed: false });
    expect(reports[1]).toMatchObject({ channel: 'rcs', text: 'Where is my parcel', postback: 'track' });
    expect(t.platform.maapSimulator!.messages.some((m) => m.to === from)).toBe(false);
  });

  it('when a notification is not signed with the webhook secret, then it is refused with 401', async () => {
    const raw = JSON.stringify({ notifications: [] });
    await t.api.post('/webhooks/rcs').set('Content-Type', 'application/json').set('X-Maap-Signature', signCallback('wrong-secret', raw)).send(raw).expect(401);
    await t.api.post('/webhooks/rcs').set('Content-Type', 'application/json').send(raw).expect(401);
    const bad = await t.api.post('/webhooks/rcs').set('Content-Type', 'application/json').set('X-Maap-Signature', signCallback(t.platform.config.rcs.webhookSecret, raw)).send(raw).expect(400);
    expect(bad.body.error.code).toBe('WEBHOOK_PAYLOAD_INVALID');
  });

  it('when another account asks for this account\'s chatbot, message or rules, then they are 404; without a chatbot it cannot send', async () => {
    const other = await createFundedAccount(t, { name: 'Other', extension: '02' });
    const sent = await t.api.post('/v1/rcs/messages').set(acc.auth).send({ to: '+8613800138031', type: 'text', text: 'hi' }).expect(202);
    await t.api.get(`/v1/rcs/messages/${sent.body.id}`).set(other.auth).expect(404);
    await t.api.get(`/v1/rcs/chatbots/${chatbotId}`).set(other.auth).expect(404);
    await t.api.get(`/v1/rcs/chatbots/${chatbotId}/keywords`).set(other.auth).expect(404);
    await t.api.post(`/v1/rcs/chatbots/${chatbotId}/submit`).set(other.auth).expect(404);
    const asOther = await t.api.post('/v1/rcs/messages').set(other.auth).send({ to: '+8613800138031', type: 'text', text: 'hi', chatbotId }).expect(404);
    expect(asOther.body.error.code).toBe('NOT_FOUND');
    const none = await t.api.post('/v1/rcs/messages').set(other.auth).send({ to: '+8613800138031', type: 'text', text: 'hi' }).expect(409);
    expect(none.body.error.code).toBe('RCS_NO_CHATBOT');
    expect((await t.api.get('/v1/rcs/chatbots').set(other.auth).expect(200)).body.data).toEqual([]);
  });
});
