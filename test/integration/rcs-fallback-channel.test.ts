/**
 * The 5G FallbackChannel against the platform and its bundled MaaP simulator: capabilities batched
 * and cached, render of cards / carousels / text and its refusals, idempotent sends per stepRef,
 * statuses as the engine hears them (including DeliveryImpossible and DeliveredToNetwork).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelStatusEvent } from '../../src/fallback/fallback-channel.js';
import type { Card } from '../../src/cards/card-model.js';
import { signCallback } from '../../src/receipts/callback-signer.js';
import { engines } from '../support/databases.js';
import { CARD_EXAMPLES } from '../support/card-fixtures.js';
import { ADMIN_KEY, createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
const PROFILE = { name: 'Acme', logoUrl: 'https://acme.example/logo.png', description: 'Acme', colour: '#112233', callbackNumber: '4008208820', category: 'retail' };
const ctx = (accountId: string, to: string) => ({ accountId, to, category: 'notification' as const });

describe.each(engines)('rcs FallbackChannel on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  const events: ChannelStatusEvent[] = [];
  const channel = () => t.platform.rcs.fallbackChannel;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t);
    channel().onStatus((e) => void events.push(e));
  });
  afterAll(async () => t?.stop());

  it('when the account has no approved chatbot, then numbers are unknown and render and send refuse with RCS_NO_CHATBOT', async () => {
    const caps = await channel().capabilities(acc.id, ['+8613800138000']);
    expect(caps.get('+8613800138000')).toBe('unknown');
    expect(channel().render({ text: 'hi' }, ctx(acc.id, '+8613800138000'))).toEqual({ refused: expect.objectContaining({ code: 'RCS_NO_CHATBOT' }) });
    const sent = await channel().send({ accountId: acc.id, to: '+8613800138000', category: 'notification', stepRef: 'mst_none:1', rendering: { kind: 'rcs-text', payload: { messageList: [] } } });
    expect(sent).toMatchObject({ ok: false, reason: 'rejected', code: 'RCS_NO_CHATBOT' });
  });

  it('when numbers are checked, then capabilities map from the MaaP answers, in batches of 100, cached', async () => {
    const c = (await t.api.post('/v1/rcs/chatbots').set(acc.auth).send(PROFILE).expect(201)).body;
    await t.api.post(`/v1/rcs/chatbots/${c.id}/submit`).set(acc.auth).expect(200);
    await t.api.post(`/v1/admin/rcs/chatbots/${c.id}/approve`).set(admin).send({}).expect(200);
    const sim = t.platform.maapSimulator!;
    const numbers = Array.from({ length: 150 }, (_, i) => `+86137${String(i).padStart(8, '0')}`);
    const before = sim.stats.capabilityCalls;
    const caps = await channel().capabilities(acc.id, numbers);
    expect(sim.stats.capabilityCalls - before).toBe(2);
    expect([0, 6, 7, 8, 9].map((d) => caps.get(`+861370000000${d}`))).toEqual(['capable', 'capable', 'not_capable', 'unknown', 'not_capable']);
    await channel().capabilities(acc.id, numbers.filter((n) => !n.endsWith('8')));
    expect(sim.stats.capabilityCalls - before).toBe(2);
  });

  it('when content is rendered, then a card is rcs-card, a carousel rcs-carousel, text rcs-text; limits refuse naming the field', () => {
    const to = '+8613800138001';
    const card = (c: Card) => ({ card: { templateId: 'ctp_x', card: c }, text: 'fallback text' });
    expect(channel().render(card(CARD_EXAMPLES.coupon), ctx(acc.id, to))).toMatchObject({ kind: 'rcs-card' });
    expect(channel().render(card(CARD_EXAMPLES.carousel), ctx(acc.id, to))).toMatchObject({ kind: 'rcs-carousel' });
    const text = channel().render({ text: 'Your code is 482913' }, ctx(acc.id, to));
    expect(text).toMatchObject({ kind: 'rcs-text', payload: { messageList: [{ contentType: 'text/plain', contentText: 'Your code is 482913' }] } });
    const long = structuredClone(CARD_EXAMPLES['image-text']) as Card & { title: string };
    long.title = 't'.repeat(201);
    expect(channel().render(card(long), ctx(acc.id, to))).toEqual({ refused: expect.objectContaining({ code: 'RCS_LIMIT_EXCEEDED', field: 'card.title' }) });
    expect(channel().render({ text: 'x'.repeat(3073) }, ctx(acc.id, to))).toEqual({ refused: expect.objectContaining({ code: 'RCS_LIMIT_EXCEEDED', field: 'text' }) });
    expect(channel().render({ pageUrl: 'https://s.example/x' }, ctx(acc.id, to))).toEqual({ refused: expect.objectContaining({ code: 'RCS_NO_CONTENT' }) });
  });

  it('when a step is sent twice with one stepRef, then one message goes out (without smsSupported) and its statuses reach the engine', async () => {
    const to = '+8613800138002';
    const rendering = channel().render({ card: { templateId: 'ctp_x', card: CARD_EXAMPLES['image-text'] } }, ctx(acc.id, to));
    if ('refused' in rendering) throw new Error('refused');
    const req = { accountId: acc.id, to, category: 'notification' as const, stepRef: 'mst_a:1', rendering };
    const first = await channel().send(req);
    const second = await channel().send(req);
    expect(first).toMatchObject({ ok: true, status: 'accepted' });
    expect(second).toMatchObject({ ok: true, channelMessageId: (first as { channelMessageId: string }).channelMessageId });
    const posted = t.platform.maapSimulator!.messages.filter((m) => m.to === to);
    expect(posted).toHaveLength(1);
    expect(posted[0].request.smsSupported).toBe(false);
    const id = (first as { channelMessageId: string }).channelMessageId;
    await waitFor(async () => events.filter((e) => e.channelMessageId === id).length === 4);
    expect(events.filter((e) => e.channelMessageId === id).map((e) => [e.stepRef, e.status])).toEqual([['mst_a:1', 'accepted'], ['mst_a:1', 'sent'], ['mst_a:1', 'delivered'], ['mst_a:1', 'read']]);
    expect(await channel().status(acc.id, id)).toMatchObject({ stepRef: 'mst_a:1', status: 'read' });
    expect(await channel().status('acc_other', id)).toBeUndefined();
  });

  it('when the terminal is not RCS-capable, then the engine hears not_capable with RCS_DELIVERY_IMPOSSIBLE', async () => {
    const to = '+8613800138007';
    const rendering = channel().render({ text: 'hi' }, ctx(acc.id, to)) as { kind: string; payload: unknown };
    const sent = await channel().send({ accountId: acc.id, to, category: 'notification', stepRef: 'mst_b:1', rendering });
    const id = (sent as { channelMessageId: string }).channelMessageId;
    const e = await waitFor(async () => events.find((x) => x.channelMessageId === id && x.status !== 'accepted'));
    expect(e).toMatchObject({ stepRef: 'mst_b:1', status: 'not_capable', code: 'RCS_DELIVERY_IMPOSSIBLE' });
    // A repeat of a step that ended not_capable says so without sending.
    expect(await channel().send({ accountId: acc.id, to, category: 'notification', stepRef: 'mst_b:1', rendering })).toMatchObject({ ok: false, reason: 'not_capable', channelMessageId: id });
  });

  it('when the MaaP refuses the number, then the send is rejected with RCS_REJECTED and the message kept', async () => {
    const to = '+8613800138009';
    const rendering = channel().render({ text: 'hi' }, ctx(acc.id, to)) as { kind: string; payload: unknown };
    const sent = await channel().send({ accountId: acc.id, to, category: 'notification', stepRef: 'mst_c:1', rendering });
    expect(sent).toMatchObject({ ok: false, reason: 'rejected', code: 'RCS_REJECTED', channelMessageId: expect.stringMatching(/^rcm_/) });
  });

  it('when the network reports DeliveredToNetwork, then the engine hears delivered with DELIVERED_AS_SMS', async () => {
    const to = '+8613800138008';
    const rendering = channel().render({ text: 'hi' }, ctx(acc.id, to)) as { kind: string; payload: unknown };
    const sent = await channel().send({ accountId: acc.id, to, category: 'notification', stepRef: 'mst_d:1', rendering });
    const id = (sent as { channelMessageId: string }).channelMessageId;
    await waitFor(async () => events.find((x) => x.channelMessageId === id && x.status === 'sent'));
    const body = JSON.stringify({ notifications: [{ type: 'deliveryInfo', chatbotAddress: 'sip:x@y', messageId: id, address: `tel:${to}`, status: 'DeliveredToNetwork', timestamp: new Date().toISOString() }] });
    await t.api.post('/webhooks/rcs').set('Content-Type', 'application/json').set('X-Maap-Signature', signCallback(t.platform.config.rcs.webhookSecret, body)).send(body).expect(200);
    const e = await waitFor(async () => events.find((x) => x.channelMessageId === id && x.status === 'delivered'));
    expect(e).toMatchObject({ stepRef: 'mst_d:1', code: 'DELIVERED_AS_SMS' });
  });
});
