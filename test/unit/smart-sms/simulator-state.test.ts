import { describe, expect, it } from 'vitest';
import { SimulatorState, type SimulatorStateOptions } from '../../../src/channels/smart-sms/simulator-state.js';
import type { LinkRequest } from '../../../src/channels/smart-sms/smart-sms-api.js';

function setup(over: Partial<SimulatorStateOptions> = {}) {
  const clock = { t: Date.parse('2030-01-01T15:00:00Z') };
  const state = new SimulatorState({
    reviewDelayMs: 1000, reportDelayMs: 2000, capableDigits: '012345', countOn: 'issue',
    linkOrigin: (d) => `http://${d}`, now: () => clock.t, ...over,
  });
  const tpl = state.registerTemplate({
    outTemplateId: 'card1', name: 'Sale', cardType: 'coupon', summary: { title: 'Spring sale' },
    domain: 'c.sim.example', customUrl: 'https://h5.example/card1',
  });
  return { clock, state, tpl };
}

const recipients = (n: number, start = 0) => Array.from({ length: n }, (_, i) => ({ mobile: `138${String(start + i).padStart(8, '0')}`, customUrl: `https://h5.example/r/${start + i}` }));
const links = (templateId: string, outId: string, r: LinkRequest['recipients'], type: LinkRequest['type'] = 'personalised'): LinkRequest =>
  ({ templateId, domain: 'c.sim.example', outId, type, recipients: r });

describe('smart-SMS simulator state', () => {
  it('when a template is registered, then it is pending until the review delay, then approved', () => {
    const { clock, state, tpl } = setup();
    expect(tpl).toMatchObject({ status: 'pending', reviewedAt: null, reason: null });
    clock.t += 999;
    expect(state.template(tpl.templateId)?.status).toBe('pending');
    clock.t += 1;
    expect(state.template(tpl.templateId)).toMatchObject({ status: 'approved', reason: null, reviewedAt: new Date(clock.t).toISOString() });
  });

  it('when a template title contains REJECT, then the review rejects it with a reason', () => {
    const { clock, state } = setup();
    const t = state.registerTemplate({ outTemplateId: 'c2', name: 'x', cardType: 'coupon', summary: { title: 'please reject me' }, domain: 'c.sim.example', customUrl: 'https://h5.example/2' });
    clock.t += 1000;
    expect(state.template(t.templateId)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('REJECT') });
  });

  it('when personalised links are issued in issue mode, then reports show nothing before the delay and the rule\'s counts after it', () => {
    // Arrange: 20 numbers ending 0–9 twice: 12 capable (0–5), 8 not.
    const { clock, state, tpl } = setup();
    const answer = state.issueLinks('k', links(tpl.templateId, 'o1', recipients(20)));
    // Act + Assert
    expect(state.batchReport(answer.batchId)).toEqual({ batchId: answer.batchId, templateId: tpl.templateId, sent: 0, parsed: 0, failed: 0 });
    clock.t += 2000;
    expect(state.batchReport(answer.batchId)).toEqual({ batchId: answer.batchId, templateId: tpl.templateId, sent: 20, parsed: 12, failed: 8 });
  });

  it('when links are issued, then each number has its own link whose landing page is its customUrl', () => {
    const { state, tpl } = setup();
    const answer = state.issueLinks('k', links(tpl.templateId, 'o1', recipients(3)));
    expect(new Set(answer.links!.map((l) => l.url)).size).toBe(3);
    for (const [i, l] of answer.links!.entries()) {
      expect(l.url).toMatch(/^http:\/\/c\.sim\.example\/p\/[0-9A-Za-z]{8}$/);
      expect(state.landingPage(l.url.split('/p/')[1])).toBe(`https://h5.example/r/${i}`);
    }
    expect(state.landingPage('nope')).toBeUndefined();
  });

  it('when a bulk link is issued without a customUrl, then one link serves every number and lands on the template page', () => {
    const { state, tpl } = setup();
    const answer = state.issueLinks('k', links(tpl.templateId, 'o1', recipients(5).map(({ mobile }) => ({ mobile })), 'bulk'));
    expect(answer).toMatchObject({ type: 'bulk', count: 5, url: expect.stringMatching(/\/p\//) });
    expect(answer.links).toBeUndefined();
    expect(state.landingPage(answer.url!.split('/p/')[1])).toBe('https://h5.example/card1');
  });

  it('when the same outId is asked for again by the same app key, then the first answer is returned; another key gets its own', () => {
    const { state, tpl } = setup();
    const first = state.issueLinks('k', links(tpl.templateId, 'o1', recipients(2)));
    expect(state.previousLinks('k', 'o1')).toBe(first);
    expect(state.previousLinks('other', 'o1')).toBeUndefined();
  });

  it('when counting on receive, then only numbers whose SMS reached the handset count, after the delay', () => {
    // Arrange
    const { clock, state, tpl } = setup({ countOn: 'receive' });
    const answer = state.issueLinks('k', links(tpl.templateId, 'o1', recipients(10)));
    const urls = answer.links!.map((l) => l.url);
    // Act: digits 0, 1, 6 and 9 delivered, one twice, plus an unknown link.
    expect(state.receive([urls[0], urls[1], urls[6], urls[9], urls[9], 'http://c.sim.example/p/unknown1'].map((link) => ({ link })))).toEqual({ received: 4, unknown: 1 });
    // Assert
    expect(state.batchReport(answer.batchId)).toMatchObject({ sent: 0 });
    clock.t += 2000;
    expect(state.batchReport(answer.batchId)).toMatchObject({ sent: 4, parsed: 2, failed: 2 });
  });

  it('when a bulk link is received, then the number given with it counts', () => {
    const { clock, state, tpl } = setup({ countOn: 'receive', reportDelayMs: 0 });
    const answer = state.issueLinks('k', links(tpl.templateId, 'o1', recipients(4).map(({ mobile }) => ({ mobile })), 'bulk'));
    expect(state.receive([{ link: answer.url!, mobile: '+8613800000002' }, { link: answer.url! }])).toEqual({ received: 1, unknown: 1 });
    clock.t += 1;
    expect(state.batchReport(answer.batchId)).toMatchObject({ sent: 1, parsed: 1, failed: 0 });
  });

  it('when the daily report is read, then counts are per template and China-time day of sending', () => {
    // 15:00 UTC is 23:00 in China; two hours later it is the next China day.
    const { clock, state, tpl } = setup({ reportDelayMs: 0 });
    state.issueLinks('k', links(tpl.templateId, 'o1', recipients(10)));
    clock.t += 2 * 3_600_000;
    state.issueLinks('k', links(tpl.templateId, 'o2', recipients(5, 10)));
    expect(state.dailyReport([tpl.templateId], '2030-01-01', '2030-01-02')).toEqual([
      { templateId: tpl.templateId, date: '2030-01-01', sent: 10, parsed: 6, failed: 4 },
      { templateId: tpl.templateId, date: '2030-01-02', sent: 5, parsed: 5, failed: 0 },
    ]);
    expect(state.dailyReport([tpl.templateId], '2030-01-02', '2030-01-02')).toHaveLength(1);
    expect(state.dailyReport(['CST_OTHER'], '2030-01-01', '2030-01-02')).toEqual([]);
  });
});
