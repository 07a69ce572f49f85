import { describe, expect, it } from 'vitest';
import { clickReportCsv, rollupAnswers, type ClickReportQuery } from '../../../src/links/click-report.js';
import { parseClickReportParams } from '../../../src/links/click-report-params.js';

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const { status, code, field } = e as { status: number; code: string; field?: string };
    return { status, code, field };
  }
  throw new Error('expected an error');
};

const q = (over: Partial<ClickReportQuery> = {}): Omit<ClickReportQuery, 'accountId'> => ({
  from: new Date('2030-05-01T00:00:00Z'), until: new Date('2030-05-08T00:00:00Z'), groupBy: ['campaign', 'day'], timeZone: 'UTC', ...over,
});

describe('rollupAnswers', () => {
  it('when campaign × day in UTC over whole days is asked, then the rollups answer (with or without a campaign filter)', () => {
    expect(rollupAnswers(q())).toBe(true);
    expect(rollupAnswers(q({ campaignId: 'spring' }))).toBe(true);
    expect(rollupAnswers(q({ groupBy: ['day'] }))).toBe(true);
    expect(rollupAnswers(q({ groupBy: ['day'], templateId: 'tpl1' }))).toBe(true);
    expect(rollupAnswers(q({ groupBy: [], until: new Date('2030-05-02T00:00:00Z') }))).toBe(true);
  });

  it('when the answer needs more than daily counts per scope, then the raw clicks answer', () => {
    expect(rollupAnswers(q({ groupBy: ['hour'] }))).toBe(false);
    expect(rollupAnswers(q({ groupBy: ['day', 'device'] }))).toBe(false);
    expect(rollupAnswers(q({ groupBy: ['campaign'] }))).toBe(false); // UV over 7 days is not a sum of days
    expect(rollupAnswers(q({ groupBy: [] }))).toBe(false);
    expect(rollupAnswers(q({ timeZone: 'Asia/Shanghai' }))).toBe(false);
    expect(rollupAnswers(q({ from: new Date('2030-05-01T08:00:00Z') }))).toBe(false);
    expect(rollupAnswers(q({ templateId: 'tpl1' }))).toBe(false); // campaign rows of one template
    expect(rollupAnswers(q({ groupBy: ['day'], campaignId: 'a', templateId: 'b' }))).toBe(false);
  });
});

describe('parseClickReportParams', () => {
  it('when given a period, dimensions and filters, then they are parsed in order', () => {
    expect(parseClickReportParams({ from: '2030-05-01', until: '2030-05-08', groupBy: 'day,campaign', campaign: 'spring-sale', templateId: 'ctpl_1' })).toEqual({
      from: new Date('2030-05-01T00:00:00Z'), until: new Date('2030-05-08T00:00:00Z'), timeZone: 'UTC', groupBy: ['day', 'campaign'], campaignId: 'spring-sale', templateId: 'ctpl_1',
    });
  });

  it.each([
    [{ until: '2030-05-08' }, 'INVALID_REPORT_PERIOD', 'from'],
    [{ from: '2030-05-08', until: '2030-05-01' }, 'INVALID_REPORT_PERIOD', 'until'],
    [{ from: '2030-05-01', until: '2030-05-08', groupBy: 'day,country' }, 'INVALID_GROUP_BY', 'groupBy'],
    [{ from: '2030-05-01', until: '2030-05-08', groupBy: 'day,day' }, 'INVALID_GROUP_BY', 'groupBy'],
    [{ from: '2030-05-01', until: '2030-05-08', campaign: 'has space' }, 'INVALID_REPORT_FILTER', 'campaign'],
    [{ from: '2030-05-01', until: '2030-05-08', templateId: ['a', 'b'] }, 'INVALID_REPORT_FILTER', 'templateId'],
    [{ from: '2030-05-01', until: '2030-05-08', tz: 'Mars/Base' }, 'INVALID_TIME_ZONE', 'tz'],
  ])('when the query is %j, then 400 %s names %s', (query, code, field) => {
    expect(error(() => parseClickReportParams(query))).toEqual({ status: 400, code, field });
  });
});

describe('clickReportCsv', () => {
  it('when rendered, then the header is the dimensions then the measures, nulls are empty and commas quoted', () => {
    const csv = clickReportCsv({
      groupBy: ['campaign', 'day'],
      rows: [{ campaign: 'a,b', day: '2030-05-01', pv: 3, uv: 2, bots: 1, delivered: 10, clickRate: 0.2, parseRequested: null, parsed: null, parseRate: null }],
    });
    expect(csv).toBe('campaign,day,pv,uv,bots,delivered,clickRate,parseRequested,parsed,parseRate\r\n"a,b",2030-05-01,3,2,1,10,0.2,,,\r\n');
  });
});
