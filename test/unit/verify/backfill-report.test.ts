import { describe, expect, it } from 'vitest';
import { measuresOf, toCsv, type BackfillRow } from '../../../src/verify/backfill-report.js';
import { fixedOffsetOver, parseBackfillParams, parseGroupBy, startOfDay } from '../../../src/verify/backfill-report-params.js';

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const { status, code, field } = e as { status: number; code: string; field?: string };
    return { status, code, field, message: (e as Error).message };
  }
  throw new Error('expected an error');
};

describe('parseBackfillParams', () => {
  it('when given dates and no tz, then the period runs from UTC midnight to UTC midnight', () => {
    expect(parseBackfillParams({ from: '2030-01-01', until: '2030-01-08', groupBy: 'route,day' })).toEqual({
      from: new Date('2030-01-01T00:00:00Z'), until: new Date('2030-01-08T00:00:00Z'), groupBy: ['route', 'day'], timeZone: 'UTC',
    });
  });

  it('when given a tz, then bare dates are midnight there and date-times keep their own offset', () => {
    const q = parseBackfillParams({ from: '2030-01-01', until: '2030-01-02T08:00:00+08:00', tz: 'asia/shanghai' });
    expect(q).toMatchObject({ from: new Date('2029-12-31T16:00:00Z'), until: new Date('2030-01-02T00:00:00Z'), timeZone: 'Asia/Shanghai', groupBy: [] });
  });

  it.each([
    ['America/New_York', 2030, 3, 10, '2030-03-10T05:00:00Z'], // the day DST starts (at 02:00): midnight is still EST
    ['America/New_York', 2030, 11, 4, '2030-11-04T05:00:00Z'], // the day after it ends
    ['Asia/Kolkata', 2030, 6, 1, '2030-05-31T18:30:00Z'],
    ['UTC', 2030, 2, 28, '2030-02-28T00:00:00Z'],
  ] as const)('when the start of a day in %s is asked (%i-%i-%i), then it is %s', (tz, y, m, d, iso) => {
    expect(startOfDay(y, m, d, tz).toISOString()).toBe(new Date(iso).toISOString());
  });

  it.each([
    [{ until: '2030-01-02' }, 'INVALID_REPORT_PERIOD', 'from'],
    [{ from: '2030-01-01' }, 'INVALID_REPORT_PERIOD', 'until'],
    [{ from: '01/01/2030', until: '2030-01-02' }, 'INVALID_REPORT_PERIOD', 'from'],
    [{ from: '2030-02-30', until: '2030-03-02' }, 'INVALID_REPORT_PERIOD', 'from'],
    [{ from: '2030-01-01T08:00:00', until: '2030-01-02' }, 'INVALID_REPORT_PERIOD', 'from'], // no zone
    [{ from: '2030-01-01', until: '2030-01-01T25:00:00Z' }, 'INVALID_REPORT_PERIOD', 'until'],
    [{ from: ['2030-01-01', '2030-01-02'], until: '2030-01-03' }, 'INVALID_REPORT_PERIOD', 'from'],
    [{ from: '2030-01-02', until: '2030-01-01' }, 'INVALID_REPORT_PERIOD', 'until'],
    [{ from: '2030-01-01', until: '2030-01-01' }, 'INVALID_REPORT_PERIOD', 'until'],
    [{ from: '2030-01-01', until: '2031-01-03' }, 'INVALID_REPORT_PERIOD', 'until'],
    [{ from: '2030-01-01', until: '2030-01-02', groupBy: 'route,carrier' }, 'INVALID_GROUP_BY', 'groupBy'],
    [{ from: '2030-01-01', until: '2030-01-02', groupBy: 'route,route' }, 'INVALID_GROUP_BY', 'groupBy'],
    [{ from: '2030-01-01', until: '2030-01-02', tz: 'Europe/Atlantis' }, 'INVALID_TIME_ZONE', 'tz'],
    [{ from: '2030-01-01', until: '2030-01-02', tz: ['UTC', 'UTC'] }, 'INVALID_TIME_ZONE', 'tz'],
  ])('when the query is %j, then it is a 400 %s naming %s', (query, code, field) => {
    expect(error(() => parseBackfillParams(query))).toMatchObject({ status: 400, code, field });
  });

  it('when the period is exactly 366 days, then it is accepted; one millisecond more is not', () => {
    expect(parseBackfillParams({ from: '2030-01-01', until: '2031-01-02' }).until).toEqual(new Date('2031-01-02T00:00:00Z'));
    expect(error(() => parseBackfillParams({ from: '2030-01-01T00:00:00Z', until: '2031-01-02T00:00:00.001Z' })).message).toMatch(/366 days/);
  });

  it('when groupBy is repeated or padded, then the dimensions are read in order', () => {
    expect(parseGroupBy(['day', 'country, route'])).toEqual(['day', 'country', 'route']);
    expect(parseGroupBy('')).toEqual([]);
    expect(error(() => parseGroupBy('route,Carrier')).message).toContain('country, channel, route, sender, day');
  });
});

describe('fixedOffsetOver', () => {
  it.each([
    ['UTC', '2030-01-01T00:00:00Z', '2031-01-01T00:00:00Z', true],
    ['Asia/Shanghai', '2030-01-01T00:00:00Z', '2031-01-01T00:00:00Z', true],
    ['America/New_York', '2030-03-01T05:00:00Z', '2030-03-09T05:00:00Z', true],
    ['America/New_York', '2030-03-01T05:00:00Z', '2030-03-11T04:00:00Z', false], // EDT from 03-10
    ['Europe/London', '2030-01-01T00:00:00Z', '2030-12-31T00:00:00Z', false], // BST and back: same offset at both ends
  ] as const)('when %s is checked from %s to %s, then it is %s', (tz, from, until, fixed) => {
    expect(fixedOffsetOver(new Date(from), new Date(until), tz)).toBe(fixed);
  });
});

describe('measuresOf', () => {
  it('when nothing was sent, then the rates are null, not zero or NaN', () => {
    expect(measuresOf({ attempts: 3, sent: 0, delivered: 0, verified: 0 }, null)).toEqual({
      attempts: 3, sent: 0, delivered: 0, verified: 0, backfillRate: null, deliveryRate: null, medianTimeToVerifyMs: null, p90TimeToVerifyMs: null,
    });
  });

  it('when times come in microseconds, then they are reported in whole milliseconds, half up', () => {
    expect(measuresOf({ attempts: 4, sent: 4, delivered: 3, verified: 2 }, [1500, 12_345_499.9])).toMatchObject({
      backfillRate: 0.5, deliveryRate: 0.75, medianTimeToVerifyMs: 2, p90TimeToVerifyMs: 12_345,
    });
  });
});

describe('toCsv', () => {
  const row = (over: Partial<BackfillRow>): BackfillRow => ({
    attempts: 2, sent: 2, delivered: 1, verified: 1, backfillRate: 0.5, deliveryRate: 0.5, medianTimeToVerifyMs: 1200, p90TimeToVerifyMs: 1500, ...over,
  });

  it('when rendered, then there is a header of the dimensions then the measures, CRLF line ends and empty nulls', () => {
    const csv = toCsv({ groupBy: ['route', 'sender'], rows: [row({ route: 'sim-direct', sender: null, medianTimeToVerifyMs: null })] });

    expect(csv).toBe(
      'route,sender,attempts,sent,delivered,verified,backfillRate,deliveryRate,medianTimeToVerifyMs,p90TimeToVerifyMs\r\n'
      + 'sim-direct,,2,2,1,1,0.5,0.5,,1500\r\n',
    );
  });

  it('when a value holds a comma, a quote or a line break, then it is quoted with quotes doubled (RFC 4180)', () => {
    const csv = toCsv({ groupBy: ['sender'], rows: [row({ sender: 'Acme, Inc.' }), row({ sender: 'Say "hi"' }), row({ sender: 'two\nlines' })] });

    expect(csv.split('\r\n').slice(1, 4).map((l) => l.split(',2,2,')[0])).toEqual(['"Acme, Inc."', '"Say ""hi"""', '"two\nlines"']);
  });

  it('when there are no rows, then the CSV is the header alone', () => {
    expect(toCsv({ groupBy: [], rows: [] })).toBe('attempts,sent,delivered,verified,backfillRate,deliveryRate,medianTimeToVerifyMs,p90TimeToVerifyMs\r\n');
  });
});
