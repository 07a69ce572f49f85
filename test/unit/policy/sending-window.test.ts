import { describe, expect, it } from 'vitest';
import {
  effectiveMarketingWindow,
  evaluateWindow,
  localDateTime,
  zonedTimeToUtc,
  type WindowInput,
} from '../../../src/policy/sending-window.js';

// Shanghai is UTC+8 all year, so these instants read naturally as local times.
const shanghai = (local: string): Date => new Date(`${local}+08:00`);
const marketing = (now: Date, extra: Partial<WindowInput> = {}): WindowInput => ({
  category: 'marketing', highRisk: false, now, outside: 'reject', timeZone: 'Asia/Shanghai', ...extra,
});

describe('evaluateWindow', () => {
  it.each(['otp', 'notification', 'international'] as const)('when a %s message is sent at 03:00, then it goes out (24 h sending)', (category) => {
    expect(evaluateWindow({ ...marketing(shanghai('2024-06-01T03:00:00')), category, highRisk: true })).toEqual({ action: 'send' });
  });

  it.each(['08:00:00', '12:00:00', '21:59:59'])('when marketing is sent at %s, then it is inside 08:00–22:00', (time) => {
    expect(evaluateWindow(marketing(shanghai(`2024-06-01T${time}`)))).toEqual({ action: 'send' });
  });

  it.each(['07:59:59', '22:00:00', '23:30:00'])('when marketing is sent at %s and the account rejects, then OUTSIDE_SENDING_WINDOW', (time) => {
    const decision = evaluateWindow(marketing(shanghai(`2024-06-01T${time}`)));
    expect(decision).toMatchObject({ action: 'reject', code: 'OUTSIDE_SENDING_WINDOW' });
    if (decision.action === 'reject') expect(decision.message).toContain('08:00 and 22:00 (Asia/Shanghai)');
  });

  it('when the account ends its window at 21:00, then 21:30 is outside', () => {
    const input = marketing(shanghai('2024-06-01T21:30:00'), { window: { start: '08:00', end: '21:00' } });
    expect(evaluateWindow(input).action).toBe('reject');
  });

  it('when high-risk marketing is sent at 18:00, then it is outside 08:00–18:00', () => {
    expect(evaluateWindow(marketing(shanghai('2024-06-01T17:59:59'), { highRisk: true })).action).toBe('send');
    expect(evaluateWindow(marketing(shanghai('2024-06-01T18:00:00'), { highRisk: true })).action).toBe('reject');
  });

  it('when a high-risk account widens its window to 21:00, then the high-risk 18:00 end still applies', () => {
    const input = marketing(shanghai('2024-06-01T19:00:00'), { highRisk: true, window: { start: '07:00', end: '21:00' } });
    expect(evaluateWindow(input).action).toBe('reject');
    expect(effectiveMarketingWindow(true, { start: '07:00', end: '21:00' })).toEqual({ start: '08:00', end: '18:00' });
    expect(effectiveMarketingWindow(true, { start: '09:00', end: '17:00' })).toEqual({ start: '09:00', end: '17:00' });
  });

  it('when marketing arrives at 23:00 and the account holds, then it is held until 08:00 the next day', () => {
    const decision = evaluateWindow(marketing(shanghai('2024-06-01T23:00:00'), { outside: 'hold' }));
    expect(decision).toEqual({ action: 'hold', until: shanghai('2024-06-02T08:00:00') });
  });

  it('when marketing arrives at 06:15 and the account holds, then it is held until 08:00 the same day', () => {
    const decision = evaluateWindow(marketing(shanghai('2024-06-01T06:15:00'), { outside: 'hold' }));
    expect(decision).toEqual({ action: 'hold', until: shanghai('2024-06-01T08:00:00') });
  });

  it('when held on the last day of a year, then the next window start rolls into the next year', () => {
    const decision = evaluateWindow(marketing(shanghai('2024-12-31T22:30:00'), { outside: 'hold' }));
    expect(decision).toEqual({ action: 'hold', until: shanghai('2025-01-01T08:00:00') });
  });

  it('when the instant is evening UTC but morning in Shanghai, then the account timezone decides', () => {
    // 2024-06-01T00:30Z is 08:30 in Shanghai but 00:30 in London.
    const now = new Date('2024-06-01T00:30:00Z');
    expect(evaluateWindow(marketing(now)).action).toBe('send');
    expect(evaluateWindow(marketing(now, { timeZone: 'Europe/London' })).action).toBe('reject');
  });

  it('when no timezone is given, then Asia/Shanghai is used', () => {
    const { timeZone: _omit, ...input } = marketing(new Date('2024-06-01T00:30:00Z'));
    expect(evaluateWindow(input).action).toBe('send');
  });

  it('when holding across a DST change, then until is 08:00 at the new offset', () => {
    // New York springs forward on 2024-03-10 02:00: 08:00 that day is 12:00Z, not 13:00Z.
    const decision = evaluateWindow(marketing(new Date('2024-03-10T04:00:00Z'), { outside: 'hold', timeZone: 'America/New_York' }));
    expect(decision).toEqual({ action: 'hold', until: new Date('2024-03-10T12:00:00Z') });
  });

  it('when the window wraps midnight, then late evening is inside and the afternoon is held until the start', () => {
    const window = { start: '20:00', end: '02:00' };
    expect(evaluateWindow(marketing(shanghai('2024-06-01T01:00:00'), { window })).action).toBe('send');
    expect(evaluateWindow(marketing(shanghai('2024-06-01T15:00:00'), { window, outside: 'hold' })))
      .toEqual({ action: 'hold', until: shanghai('2024-06-01T20:00:00') });
  });

  it('when the window is 00:00–24:00, then marketing always sends', () => {
    expect(evaluateWindow(marketing(shanghai('2024-06-01T03:00:00'), { window: { start: '00:00', end: '24:00' } })).action).toBe('send');
  });

  it.each(['8:00', '25:00', '08:60', '24:30', 'noon'])('when a window time is %j, then it is a configuration error', (end) => {
    expect(() => evaluateWindow(marketing(shanghai('2024-06-01T12:00:00'), { window: { start: '08:00', end } }))).toThrow(RangeError);
  });
});

describe('localDateTime / zonedTimeToUtc', () => {
  it('when converting a Shanghai wall time back and forth, then it round-trips', () => {
    const local = localDateTime(shanghai('2024-02-29T23:59:58'), 'Asia/Shanghai');
    expect(local).toEqual({ year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58 });
    expect(zonedTimeToUtc(local, 'Asia/Shanghai')).toEqual(shanghai('2024-02-29T23:59:58'));
  });

  it('when midnight is formatted, then the hour is 0 not 24', () => {
    expect(localDateTime(shanghai('2024-06-02T00:00:00'), 'Asia/Shanghai').hour).toBe(0);
  });
});
