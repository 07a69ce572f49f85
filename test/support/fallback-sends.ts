/**
 * Fallback sends through the API on the bundled simulators, for report tests: an account with an
 * approved 5G chatbot and card template, a card campaign down [rcs, smart_sms, sms] whose sends are
 * waited for until they end, and the hand count of their steps as GET /v1/messages/:id shows them.
 * MaaP simulator (last digit): 0–3 5G-capable, 4, 5, 7 not; parse platform: 0–5 parse cards.
 */
import { COUPON_SAMPLES, COUPON_TEMPLATE } from './card-fixtures.js';
import { afterAll, beforeAll } from 'vitest';
import type { Engine } from './databases.js';
import { ADMIN_KEY, createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from './test-platform.js';

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
const PROFILE = {
  name: 'Acme Shop', logoUrl: 'https://acme.example/logo.png', description: 'Orders and coupons from Acme.',
  colour: '#1A73E8', callbackNumber: '400-820-8820', website: 'https://acme.example', category: 'retail',
};

export interface StepView { step: number; channel: string; state: string; status: string | null; movedOn: { reason: string; code: string | null } | null }
export interface SendView { id: string; status: string; channel: string | null; steps: StepView[] }
type Account = Awaited<ReturnType<typeof createFundedAccount>>;

/** A funded account with an approved chatbot and an approved coupon card template. */
export async function fallbackReadyAccount(t: TestPlatform, body: Record<string, unknown> = {}): Promise<Account & { templateId: string }> {
  const acc = await createFundedAccount(t, body);
  const bot = await t.api.post('/v1/rcs/chatbots').set(acc.auth).send(PROFILE).expect(201);
  await t.api.post(`/v1/rcs/chatbots/${bot.body.id}/submit`).set(acc.auth).expect(200);
  await t.api.post(`/v1/admin/rcs/chatbots/${bot.body.id}/approve`).set(admin).send({}).expect(200);
  const tpl = await t.api.post('/v1/cards/templates').set(acc.auth).send({ name: 'Coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }).expect(201);
  await t.api.post(`/v1/cards/templates/${tpl.body.id}/submit`).set(acc.auth).expect(200);
  await t.api.post(`/v1/admin/cards/templates/${tpl.body.id}/approve`).set(admin).send({}).expect(200);
  return { ...acc, templateId: tpl.body.id };
}

/** The send as the customer reads it, once it has ended. */
export function settledSend(t: TestPlatform, acc: Account, id: string): Promise<SendView> {
  return waitFor(async () => {
    const v = (await t.api.get(`/v1/messages/${id}`).set(acc.auth).expect(200)).body as SendView;
    return v.status !== 'sending' && v;
  }, 20_000);
}

/** A card campaign down [rcs, smart_sms, sms] to numbers ending in the given digits; its sends once ended. */
export async function sendChainCampaign(t: TestPlatform, acc: Account & { templateId: string }, lastDigits: number[]): Promise<{ campaignId: string; sends: SendView[] }> {
  const res = await t.api.post('/v1/cards/send').set(acc.auth).send({
    templateId: acc.templateId, signature: '阿里云', channels: ['rcs', 'smart_sms', 'sms'],
    recipients: lastDigits.map((d) => ({ to: `+861380013800${d}`, variables: { ...COUPON_SAMPLES, name: 'Li Lei' } })),
  }).expect(202);
  const sends = await Promise.all((res.body.messageIds as Array<{ id: string }>).map((m) => settledSend(t, acc, m.id)));
  return { campaignId: res.body.campaignId, sends };
}

export interface HandCountRow {
  step: number; channel: string; attempted: number; succeeded: number; delivered: number; read: number;
  fellBack: number; fellBackBy: Record<string, number>; failedLast: number; pending: number;
}

/** Steps counted one by one from the views, per (step, channel), in chain order. */
export function handCount(sends: readonly SendView[]): HandCountRow[] {
  const rows = new Map<string, HandCountRow>();
  for (const st of sends.flatMap((s) => s.steps)) {
    const key = `${st.step}|${st.channel}`;
    const row = rows.get(key) ?? { step: st.step, channel: st.channel, attempted: 0, succeeded: 0, delivered: 0, read: 0, fellBack: 0, fellBackBy: {}, failedLast: 0, pending: 0 };
    rows.set(key, row);
    if (st.state === 'pending' || st.state === 'skipped') continue;
    row.attempted++;
    if (st.state === 'succeeded') row.succeeded++;
    if (st.status === 'delivered' || st.status === 'read') row.delivered++;
    if (st.status === 'read') row.read++;
    if (st.state === 'moved_on') {
      row.fellBack++;
      row.fellBackBy[st.movedOn!.reason] = (row.fellBackBy[st.movedOn!.reason] ?? 0) + 1;
    }
    if (st.state === 'failed') row.failedLast++;
    if (st.state === 'sending' || st.state === 'waiting') row.pending++;
  }
  return [...rows.values()].sort((a, b) => a.step - b.step);
}

/**
 * Statuses keep coming after a send ends (a 5G card read after it was delivered): reads the sends
 * again, the report, then the sends once more, until nothing changed around the report, so the
 * hand count and the report describe the same rows.
 */
export async function readAgreeing<R>(t: TestPlatform, acc: Account, ids: readonly string[], read: () => Promise<R>): Promise<{ sends: SendView[]; report: R }> {
  const views = () => Promise.all(ids.map(async (id) => (await t.api.get(`/v1/messages/${id}`).set(acc.auth).expect(200)).body as SendView));
  return waitFor(async () => {
    const before = await views();
    const report = await read();
    const after = await views();
    return JSON.stringify(before) === JSON.stringify(after) && { sends: after, report };
  }, 20_000, 200);
}

/**
 * The report tests' sends on a fresh platform: a card campaign down [rcs, smart_sms, sms] to numbers
 * ending 1, 2 (5G cards), 4, 5 (not 5G: smart-SMS cards), 7, 9 (neither: plain text, 7
 * undeliverable), and one notification down [rcs, sms] to a number ending 4; all ended.
 */
export async function startWithChainSends(engine: Engine) {
  const t = await startTestPlatform(engine, { FALLBACK_SWEEP_MS: '100', FALLBACK_GRACE_MS: '2000' });
  const acc = await fallbackReadyAccount(t);
  const { campaignId, sends: campaignSends } = await sendChainCampaign(t, acc, [1, 2, 4, 5, 7, 9]);
  const res = await t.api.post('/v1/messages').set(acc.auth).send({
    to: '+8613800138004', category: 'notification', text: 'Your parcel is at the locker', signature: '阿里云', channels: ['rcs', 'sms'],
  }).expect(202);
  return { t, acc, campaignId, campaignSends, plain: await settledSend(t, acc, res.body.id) };
}

export type ChainSends = Awaited<ReturnType<typeof startWithChainSends>>;

/** {@link startWithChainSends} before the enclosing describe's tests (filled in then), stopped after them. */
export function useChainSends(engine: Engine): ChainSends {
  const fixture = {} as ChainSends;
  beforeAll(async () => {
    Object.assign(fixture, await startWithChainSends(engine));
  }, 60_000);
  afterAll(async () => fixture.t?.stop());
  return fixture;
}
