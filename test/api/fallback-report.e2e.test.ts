/**
 * GET /v1/reports/fallback end to end on the bundled simulators: a card campaign down
 * [rcs, smart_sms, sms] and a plain chain send, each number's outcome read back with
 * GET /v1/messages/:id and counted by hand; the report (JSON and CSV) must say the same, only for
 * the calling account, and refuse bad parameters naming the field.
 */
import { describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { handCount, readAgreeing, useChainSends } from '../support/fallback-sends.js';
import { createFundedAccount } from '../support/test-platform.js';

const DAY_MS = 86_400_000;
const period = () => ({ from: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10), until: new Date(Date.now() + DAY_MS).toISOString().slice(0, 10) });

describe.each(engines)('fallback report API on %s', (engine) => {
  const fx = useChainSends(engine);

  it('when a campaign\'s report is read, then each step\'s numbers are the hand count of the sends\' steps', async () => {
    const { t, acc, campaignId, campaignSends } = fx;
    const { sends, report: r } = await readAgreeing(t, acc, campaignSends.map((s) => s.id), async () =>
      (await t.api.get('/v1/reports/fallback').query({ ...period(), campaign: campaignId }).set(acc.auth).expect(200)).body);

    const expected = handCount(sends);
    // The chain really fell back: 5G reached some, the others went on (a report of zeros would prove nothing).
    expect(expected.map((e) => [e.step, e.channel])).toEqual([[0, 'rcs'], [1, 'smart_sms'], [2, 'sms']]);
    expect(expected[0].fellBackBy.not_capable).toBeGreaterThanOrEqual(4);
    expect(r.rows.map((row: Record<string, unknown>) => ({
      step: row.step, channel: row.channel, attempted: row.attempted, succeeded: row.succeeded, delivered: row.delivered, read: row.read,
      fellBack: row.fellBack, fellBackBy: Object.fromEntries(Object.entries(row.fellBackBy as Record<string, number>).filter(([, n]) => n > 0)),
      failedLast: row.failedLast, pending: row.pending,
    }))).toEqual(expected);
    expect(r.rows[0].topReasonCodes[0]).toMatchObject({ reason: 'not_capable', count: expected[0].fellBackBy.not_capable });

    const ended = (status: string) => sends.filter((s) => s.status === status);
    const byChannel = (ch: string) => ended('succeeded').filter((s) => s.channel === ch).length;
    expect(r.totals).toEqual({
      sends: 6, running: 0, succeeded: ended('succeeded').length, failed: ended('failed').length,
      succeededByChannel: { rcs: byChannel('rcs'), smart_sms: byChannel('smart_sms'), mms: 0, whatsapp: 0, sms: byChannel('sms') },
    });
  });

  it('when the whole period is asked by category or channel, then the plain send counts too, once', async () => {
    const { t, acc, campaignSends, plain } = fx;
    const { sends, report: all } = await readAgreeing(t, acc, [...campaignSends, plain].map((s) => s.id), async () =>
      (await t.api.get('/v1/reports/fallback').query({ ...period(), groupBy: 'channel' }).set(acc.auth).expect(200)).body);
    const every = handCount(sends);
    const sum = (ch: string, k: 'attempted' | 'fellBack') => every.filter((e) => e.channel === ch).reduce((n, e) => n + e[k], 0);
    expect(all.rows.map((r: { channel: string; attempted: number; fellBack: number }) => [r.channel, r.attempted, r.fellBack]))
      .toEqual(['rcs', 'smart_sms', 'sms'].map((ch) => [ch, sum(ch, 'attempted'), sum(ch, 'fellBack')]));
    expect(all.totals.sends).toBe(7);

    const notification = (await t.api.get('/v1/reports/fallback').query({ ...period(), category: 'notification' }).set(acc.auth).expect(200)).body;
    expect(notification.totals).toMatchObject({ sends: 1, succeeded: plain.status === 'succeeded' ? 1 : 0 });
    expect(notification.rows.map((r: { step: number; channel: string }) => [r.step, r.channel])).toEqual([[0, 'rcs'], [1, 'sms']]);
  });

  it('when asked with Accept: text/csv, then the same rows come as CSV', async () => {
    const { t, acc, campaignId, campaignSends } = fx;
    const { sends, report: res } = await readAgreeing(t, acc, campaignSends.map((s) => s.id), () =>
      t.api.get('/v1/reports/fallback').query({ ...period(), campaign: campaignId }).set(acc.auth).set('Accept', 'text/csv').expect(200));
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?fallback-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 4)).toEqual(['step', 'channel', 'attempted', 'succeeded']);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual(handCount(sends).map((e) => [String(e.step), e.channel, String(e.attempted)]));
  });

  it('when another account asks for the campaign, then it sees nothing of it', async () => {
    const { t, campaignId } = fx;
    const other = await createFundedAccount(t, { name: 'Other', extension: '02' });
    const r = (await t.api.get('/v1/reports/fallback').query({ ...period(), campaign: campaignId }).set(other.auth).expect(200)).body;
    expect(r).toMatchObject({ rows: [], totals: { sends: 0, succeeded: 0, failed: 0 } });
  });

  it('when a parameter is wrong, then a 400 names the field', async () => {
    const { t, acc } = fx;
    const bad = async (query: Record<string, string>, code: string, field: string) => {
      const res = await t.api.get('/v1/reports/fallback').query(query).set(acc.auth).expect(400);
      expect(res.body.error).toMatchObject({ code, field });
    };
    await bad({ until: '2030-01-02' }, 'INVALID_REPORT_PERIOD', 'from');
    await bad({ ...period(), groupBy: 'route' }, 'INVALID_GROUP_BY', 'groupBy');
    await bad({ ...period(), category: 'spam' }, 'INVALID_REPORT_FILTER', 'category');
    await bad({ ...period(), campaign: 'a b' }, 'INVALID_REPORT_FILTER', 'campaign');
    await bad({ ...period(), tz: 'Mars/Olympus' }, 'INVALID_TIME_ZONE', 'tz');
    await t.api.get('/v1/reports/fallback').query(period()).expect(401);
  });
});
