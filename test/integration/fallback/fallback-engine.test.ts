/**
 * The fallback engine with in-memory channels on a real database: the state machine, the races it
 * must survive (events, sweeps and a dead process's claim), and that no step is ever sent twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/db-client.js';
import { createLogger } from '../../../src/logging/logger.js';
import { newId } from '../../../src/ids.js';
import type { Capability, ChannelName, ChannelStatusEvent, FallbackChannel, StepSendOutcome, StepSendRequest, StepStatus } from '../../../src/fallback/fallback-channel.js';
import { FallbackEngine } from '../../../src/fallback/fallback-engine.js';
import type { ChainStep, NewFallbackSend } from '../../../src/fallback/fallback-send.js';
import { FallbackRepository } from '../../../src/fallback/fallback.repository.js';
import { engines, openTestDb } from '../../support/databases.js';

const logger = createLogger('error');

/** A channel that remembers what it sent, sends once per step reference, and emits what it is told. */
class FakeChannel implements FallbackChannel {
  readonly defaultCondition = 'delivered' as const;
  readonly conditions = ['accepted', 'delivered', 'read'] as const;
  readonly sent = new Map<string, { id: string; to: string }>();
  sendCalls = 0;
  capable: (to: string) => Capability = () => 'capable';
  outcome: (req: StepSendRequest) => StepSendOutcome | 'throw' = () => ({ ok: true, channelMessageId: '' });
  private readonly listeners = new Set<(e: ChannelStatusEvent) => void | Promise<void>>();
  private readonly statuses = new Map<string, ChannelStatusEvent>();

  constructor(readonly name: ChannelName) {}

  async capabilities(_a: string, numbers: readonly string[]) {
    return new Map(numbers.map((n) => [n, this.capable(n)]));
  }

  render(content: { text?: string }) {
    return content.text ? { kind: `${this.name}-text`, payload: { text: content.text } } : { refused: { code: 'NO_TEXT', message: 'no text', field: 'text' } };
  }

  async send(req: StepSendRequest): Promise<StepSendOutcome> {
    this.sendCalls++;
    const earlier = this.sent.get(req.stepRef);
    if (earlier) return { ok: true, channelMessageId: earlier.id };
    const out = this.outcome(req);
    if (out === 'throw') throw new Error('database went away');
    if (!out.ok) return out;
    const id = `${this.name}_${this.sent.size + 1}_${req.to.slice(-4)}`;
    this.sent.set(req.stepRef, { id, to: req.to });
    this.statuses.set(id, { stepRef: req.stepRef, channelMessageId: id, status: 'accepted', at: new Date() });
    return { ok: true, channelMessageId: id };
  }

  async status(_a: string, id: string) {
    return this.statuses.get(id);
  }

  onStatus(l: (e: ChannelStatusEvent) => void | Promise<void>) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** The channel learns a status (webhook); `silent` keeps it from the engine (another process saw it). */
  report(to: string, status: StepStatus, silent = false): void {
    const [stepRef, m] = [...this.sent].find(([, v]) => v.to === to)!;
    const e = { stepRef, channelMessageId: m.id, status, at: new Date() };
    this.statuses.set(m.id, e);
    if (!silent) for (const l of this.listeners) void l(e);
  }
}

describe.each(engines)('fallback engine on %s', (engine) => {
  let db: Db;
  let repo: FallbackRepository;
  let rcs: FakeChannel;
  let sms: FakeChannel;
  let engines_: FallbackEngine[] = [];

  const newEngine = (opts: { leaseMs?: number; graceMs?: number } = {}) => {
    const e = new FallbackEngine({ repo, channels: [rcs, sms], logger, leaseMs: opts.leaseMs ?? 60_000, graceMs: opts.graceMs ?? 60_000, sweepIntervalMs: 60_000 });
    engines_.push(e);
    return e;
  };
  const chain = (timeoutSeconds = 300): ChainStep[] => [{ channel: 'rcs', condition: 'delivered', timeoutSeconds }, { channel: 'sms', condition: 'accepted', timeoutSeconds: 300 }];
  const sendTo = (to: string, c = chain()): NewFallbackSend => ({
    id: newId('msg'), accountId: 'acc_fb', to, category: 'notification', content: { text: 'Hello' }, chain: c, reference: null, callbackUrl: null, campaignId: null,
  });
  const stateOf = async (id: string) => (await repo.get('acc_fb', id))!;

  beforeAll(async () => {
    db = await openTestDb(engine);
    await db.query(`insert into accounts (id, name, callback_secret) values ('acc_fb', 'fb', 'x')`);
    repo = new FallbackRepository(db);
  });
  beforeEach(() => {
    rcs = new FakeChannel('rcs');
    sms = new FakeChannel('sms');
    engines_ = [];
  });
  afterAll(async () => {
    for (const e of engines_) await e.stop();
    await db?.close();
  });

  it('when the first channel delivers, then the send succeeds there, later steps are skipped, and one report is queued', async () => {
    const e = newEngine();
    const s = sendTo('+8613800000001');
    await e.submit([s]);
    await e.drain();
    rcs.report(s.to, 'sent');
    rcs.report(s.to, 'delivered');
    rcs.report(s.to, 'read');
    await e.drain();
    const done = await stateOf(s.id);
    expect(done).toMatchObject({ state: 'succeeded', succeededChannel: 'rcs' });
    expect(done.steps.map((x) => [x.state, x.status])).toEqual([['succeeded', 'read'], ['skipped', null]]);
    expect(sms.sendCalls).toBe(0);
    const reports = await db.query<{ payload: Record<string, unknown> }>(`select payload from reports where message_id = $1`, [s.id]);
    expect(reports.map((r) => r.payload.status)).toEqual(['delivered']);
  });

  it('when the delivery status arrives before the send is recorded, then the step still succeeds on it, without waiting for the timeout', async () => {
    const e = newEngine();
    const s = sendTo('+8613800000011', chain(300));
    const realRecord = repo.recordSent.bind(repo);
    // The webhook beats the send's own bookkeeping: the event is applied while the step is still `sending`.
    repo.recordSent = async (items) => {
      rcs.report(s.to, 'delivered');
      await new Promise((r) => setTimeout(r, 50));
      return realRecord(items);
    };
    try {
      await e.submit([s]);
      await e.drain();
    } finally {
      repo.recordSent = realRecord;
    }
    const done = await stateOf(s.id);
    expect(done).toMatchObject({ state: 'succeeded', succeededChannel: 'rcs' });
    expect(done.steps[0]).toMatchObject({ state: 'succeeded', status: 'delivered', channelMessageId: [...rcs.sent.values()][0].id });
  });

  it('when a terminal is not capable, the channel refuses, or the content cannot be rendered, then the next step goes out with that reason', async () => {
    const e = newEngine();
    rcs.capable = (to) => (to.endsWith('2') ? 'not_capable' : 'capable');
    rcs.outcome = (req) => (req.to.endsWith('3') ? { ok: false, reason: 'rejected', code: 'RCS_REJECTED', message: 'no' } : { ok: true, channelMessageId: '' });
    const [a, b] = [sendTo('+8613800000002'), sendTo('+8613800000003')];
    const c = { ...sendTo('+8613800000004'), content: {} };
    await e.submit([a, b, c]);
    await e.drain();
    const [da, db_, dc] = await Promise.all([a, b, c].map((x) => stateOf(x.id)));
    expect(da.steps.map((x) => [x.state, x.reason])).toEqual([['moved_on', 'not_capable'], ['succeeded', null]]);
    expect(db_.steps[0]).toMatchObject({ state: 'moved_on', reason: 'rejected', reasonCode: 'RCS_REJECTED' });
    expect(db_.succeededChannel).toBe('sms');
    expect(dc).toMatchObject({ state: 'failed' });
    expect(dc.steps.map((x) => [x.state, x.reason, x.reasonCode])).toEqual([['moved_on', 'not_renderable', 'NO_TEXT'], ['failed', 'not_renderable', 'NO_TEXT']]);
    expect([...sms.sent.values()].map((v) => v.to).sort()).toEqual([a.to, b.to]);
  });

  it('when the channel reports a failure after sending, then the next step goes out at once, once however often it is reported', async () => {
    const e = newEngine();
    const s = sendTo('+8613800000005');
    await e.submit([s]);
    await e.drain();
    rcs.report(s.to, 'not_capable');
    rcs.report(s.to, 'not_capable');
    rcs.report(s.to, 'failed');
    await e.drain();
    const done = await stateOf(s.id);
    expect(done.steps[0]).toMatchObject({ state: 'moved_on', reason: 'not_capable', status: 'not_capable' });
    expect(done).toMatchObject({ state: 'succeeded', succeededChannel: 'sms' });
    expect(sms.sent.size).toBe(1);
  });

  it('when the timeout passes, then the sweeper re-reads the channel first: a status another process saw still counts; silence moves on', async () => {
    const e = newEngine();
    const [seen, silent] = [sendTo('+8613800000006', chain(1)), sendTo('+8613800000007', chain(1))];
    await e.submit([seen, silent]);
    await e.drain();
    rcs.report(seen.to, 'delivered', true);
    await new Promise((r) => setTimeout(r, 1_100));
    // Two sweepers of two processes race for the same due steps.
    await Promise.all([e.sweep(), newEngine().sweep()]);
    await Promise.all(engines_.map((x) => x.drain()));
    expect(await stateOf(seen.id)).toMatchObject({ state: 'succeeded', succeededChannel: 'rcs' });
    const moved = await stateOf(silent.id);
    expect(moved.steps[0]).toMatchObject({ state: 'moved_on', reason: 'timeout', reasonCode: 'TIMEOUT' });
    expect(moved.succeededChannel).toBe('sms');
    expect([...sms.sent.values()].map((v) => v.to)).toEqual([silent.to]);
  });

  it('when the process holding a claim dies mid-send, then another takes the step over after the lease and the channel returns the first message', async () => {
    // The first process sends the 5G message, then "dies" before recording it (its write throws).
    const dying = newEngine({ leaseMs: 1_000 });
    const s = sendTo('+8613800000008');
    const realRecord = repo.recordSent.bind(repo);
    repo.recordSent = async () => { throw new Error('process killed'); };
    await dying.submit([s]);
    await dying.drain();
    repo.recordSent = realRecord;
    expect((await stateOf(s.id)).steps[0].state).toBe('sending');
    expect(rcs.sent.size).toBe(1);

    await new Promise((r) => setTimeout(r, 1_100));
    const survivor = newEngine({ leaseMs: 1_000 });
    await survivor.sweep();
    await survivor.drain();
    const after = await stateOf(s.id);
    expect(after.steps[0]).toMatchObject({ state: 'waiting', channelMessageId: [...rcs.sent.values()][0].id });
    expect(rcs.sent.size).toBe(1);
    expect(rcs.sendCalls).toBe(2);
  });

  it('when a channel fails for infrastructure, then the step stays claimed and is sent once the lease ends', async () => {
    const e = newEngine({ leaseMs: 1_000 });
    rcs.outcome = () => 'throw';
    const s = sendTo('+8613800000009');
    await e.submit([s]);
    await e.drain();
    expect((await stateOf(s.id)).steps[0].state).toBe('sending');
    rcs.outcome = () => ({ ok: true, channelMessageId: '' });
    await e.sweep(); // within the lease: nothing
    await e.drain();
    expect(rcs.sent.size).toBe(0);
    await new Promise((r) => setTimeout(r, 1_100));
    await e.sweep();
    await e.drain();
    expect((await stateOf(s.id)).steps[0].state).toBe('waiting');
    expect(rcs.sent.size).toBe(1);
  });

  it('when a ready step was never run (its process died after moving on), then the sweeper runs it after the grace', async () => {
    const e = newEngine({ graceMs: 100 });
    const s = sendTo('+8613800000010');
    await repo.insert([s], new Date(), 100);
    await new Promise((r) => setTimeout(r, 150));
    await e.sweep();
    await e.drain();
    expect((await stateOf(s.id)).steps[0]).toMatchObject({ state: 'waiting' });
    expect(rcs.sent.size).toBe(1);
  });

  it('when 500 sends race status events, sweeps and a second engine, then every step is sent at most once and every send settles', async () => {
    const a = newEngine({ graceMs: 0 });
    const b = newEngine({ graceMs: 0 });
    rcs.capable = (to) => (Number(to.slice(-1)) % 2 ? 'not_capable' : 'capable');
    const sends = Array.from({ length: 500 }, (_, i) => sendTo(`+86139${String(i).padStart(8, '0')}`, chain(1)));
    await a.submit(sends);
    await Promise.all([a.sweep(), b.sweep(), a.sweep()]);
    await Promise.all([a.drain(), b.drain()]);
    for (const [i, s] of sends.entries()) if (!(Number(s.to.slice(-1)) % 2) && i % 3 === 0) rcs.report(s.to, i % 2 ? 'failed' : 'delivered');
    await new Promise((r) => setTimeout(r, 1_100));
    await Promise.all([a.sweep(), b.sweep()]);
    await Promise.all([a.drain(), b.drain()]);
    const rows = await db.query<{ state: string; n: number }>(`select state, count(*)::int as n from fallback_sends where id = any($1::text[]) group by state`, [sends.map((s) => s.id)]);
    expect(rows).toEqual([{ state: 'succeeded', n: 500 }]);
    expect(rcs.sent.size + sms.sent.size).toBeLessThanOrEqual(750);
    expect(rcs.sent.size).toBe(250);
    const smsTargets = [...sms.sent.values()].map((v) => v.to);
    expect(new Set(smsTargets).size).toBe(smsTargets.length);
  });
});
