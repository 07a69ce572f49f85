import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

describe.each(engines)('recovering lost hand-offs on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t);
  });
  afterAll(async () => t?.stop());

  it('when a queued message never reached a send queue, then the sweeper sends it, exactly once even if swept twice', async () => {
    // Arrange: a stored message, queued, whose hand-off marker is 11 minutes old and whose job is lost.
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138050', category: 'notification', text: '【阿里云】您的包裹已到', scheduledAt: at }).expect(202);
    await t.platform.db.query(`update messages set status = 'queued', release_at = null where id = $1`, [res.body.id]);
    await t.platform.handoffs.mark([res.body.id], Date.now() - 11 * 60_000);
    const submitsBefore = t.platform.simulator!.stats.submits;

    // Act: two sweeps, as two processes might run them.
    expect(await t.platform.scheduler.redispatchStale()).toBe(1);
    await t.platform.handoffs.mark([res.body.id], Date.now() - 11 * 60_000);
    await t.platform.scheduler.redispatchStale();

    // Assert
    const m = await waitFor(async () => { const b = (await t.api.get(`/v1/messages/${res.body.id}`).set(acc.auth)).body; return b.status === 'delivered' && b; });
    expect(m.attempts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.platform.simulator!.stats.submits - submitsBefore).toBe(1);
    expect(await t.platform.handoffs.stale(0, 10)).toEqual([]);
  });

  it('when a marker belongs to a message that was never stored, then the sweeper drops it', async () => {
    await t.platform.handoffs.mark(['msg_never_stored'], Date.now() - 11 * 60_000);
    expect(await t.platform.scheduler.redispatchStale()).toBe(1);
    expect(await t.platform.handoffs.stale(0, 10)).toEqual([]);
  });

  it('when a scheduled message is due, then it is released and sent', async () => {
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138051', category: 'notification', text: '【阿里云】提醒：明天取件', scheduledAt: new Date(Date.now() + 300).toISOString() }).expect(202);
    expect(res.body.status).toBe('scheduled');
    await waitFor(async () => (await t.api.get(`/v1/messages/${res.body.id}`).set(acc.auth)).body.status === 'delivered', 10_000);
  });
});
