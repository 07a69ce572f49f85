import { describe, expect, it } from 'vitest';
import { bucketLabel, buttonLabels, campaignPeriod, campaignTotals, countAxisMax, pvUvSeries } from '../../../src/console/campaigns/campaign-view.js';
import { csvRows, parseRecipients } from '../../../src/console/campaigns/recipients-input.js';
import { maskNumber } from '../../../src/console/campaigns/send-flash.js';

const VARS = ['name', 'code'];

describe('recipient list of the new-campaign form', () => {
  it('when a CSV has quotes, doubled quotes, a quoted newline, CRLF, a BOM and blank lines, then rows keep their starting lines', () => {
    const { rows, error } = csvRows('\uFEFFto,name\r\n\r\n1," a ""b"", c"\r\n2,"x\ny"\n3, z \n');
    expect(error).toBeUndefined();
    expect(rows).toEqual([
      { line: 1, fields: ['to', 'name'] },
      { line: 3, fields: ['1', ' a "b", c'] },
      { line: 4, fields: ['2', 'x\ny'] },
      { line: 6, fields: ['3', 'z'] },
    ]);
  });

  it('when a quote is not closed, then the problem names the line it starts on', () => {
    expect(parseRecipients('1,name=a\n2,"name=b\n', VARS, 10).problems).toEqual([{ field: 'recipients', message: 'Line 2: a quoted field is not closed (a " is missing)' }]);
  });

  it('when the list is a header CSV or number,name=value lines, then both give the same recipients', () => {
    const csv = parseRecipients('TO,name,code\n13800138000,Li,L1\n13800138006,Han,,\n', VARS, 10);
    const lines = parseRecipients('13800138000,name=Li,code=L1\n13800138006, name = Han \n', VARS, 10);
    expect(csv).toEqual({ problems: [], recipients: [
      { line: 2, to: '13800138000', variables: { name: 'Li', code: 'L1' } },
      { line: 3, to: '13800138006', variables: { name: 'Han', code: '' } },
    ] });
    expect(lines.recipients.map((r) => [r.to, r.variables])).toEqual([['13800138000', { name: 'Li', code: 'L1' }], ['13800138006', { name: 'Han' }]]);
  });

  it('when the header has an unknown, duplicate or unnamed column, then each is a problem', () => {
    expect(parseRecipients('to,name,name,,colour,code\n1,a,a,,b,c', VARS, 10).problems.map((p) => p.message)).toEqual([
      'Line 1: column "name" appears twice',
      'Line 1: column 4 of the header has no name',
      'Line 1: column "colour" is not a variable of the template (the template uses name, code)',
    ]);
  });

  it('when the list is empty or longer than a send allows, then nothing is accepted', () => {
    expect(parseRecipients(' \n\n', VARS, 10).problems[0].message).toMatch(/^Paste at least one recipient/);
    expect(parseRecipients('1\n2\n3', VARS, 2).problems[0].message).toBe('3 recipients: one campaign may have at most 2; split the list');
  });

  it('when many lines are wrong, then ten are listed and the rest counted', () => {
    const problems = parseRecipients(Array.from({ length: 12 }, (_, i) => `${i},bad`).join('\n'), VARS, 100).problems;
    expect(problems).toHaveLength(11);
    expect(problems[10].message).toBe('…and 2 more problems');
  });
});

describe('campaign page view', () => {
  it('when the campaign is younger than two days, then the chart is by hour from its first hour to the current one', () => {
    const p = campaignPeriod(new Date('2030-05-01T08:40:00Z'), new Date('2030-05-01T10:05:00Z'));
    expect(p).toMatchObject({ granularity: 'hour', from: new Date('2030-05-01T08:00:00Z'), until: new Date('2030-05-01T11:00:00Z') });
    expect(p.buckets).toEqual(['2030-05-01T08:00', '2030-05-01T09:00', '2030-05-01T10:00']);
    expect(bucketLabel(p.buckets[0])).toBe('05-01 08:00');
    expect(pvUvSeries(p, [{ hour: '2030-05-01T09:00', pv: 3, uv: 2, bots: 0, delivered: null, clickRate: null, parseRequested: null, parsed: null, parseRate: null }]))
      .toEqual([{ name: 'PV', values: [0, 3, 0] }, { name: 'UV', values: [0, 2, 0] }]);
  });

  it('when the campaign is older, then the chart is by day, at most a year and a day from its start', () => {
    const p = campaignPeriod(new Date('2030-05-01T08:40:00Z'), new Date('2030-05-04T01:00:00Z'));
    expect(p.buckets).toEqual(['2030-05-01', '2030-05-02', '2030-05-03', '2030-05-04']);
    expect(campaignPeriod(new Date('2030-01-01T00:00:00Z'), new Date('2032-01-01T00:00:00Z')).buckets).toHaveLength(366);
  });

  it('when there are no clicks or no parse report yet, then the totals say so instead of inventing rates', () => {
    expect(campaignTotals(undefined, null, undefined)).toEqual({ delivered: null, pv: 0, uv: 0, bots: 0, clickRate: null, parseRequested: null, parsed: null, parseRate: null });
    expect(campaignTotals({ pv: 3, uv: 1, bots: 2, delivered: null, clickRate: null, parseRequested: null, parsed: null, parseRate: null }, 4, { requested: 4, parsed: 3 }))
      .toMatchObject({ pv: 3, uv: 1, clickRate: '25.0%', parseRate: '75.0%' });
  });

  it('when the axis is drawn, then its four steps are whole counts', () => {
    expect([0, 1, 4, 5, 37, 101, 1000].map(countAxisMax)).toEqual([4, 4, 4, 8, 40, 120, 1000]);
  });

  it('when button ids are labelled, then card, suggestion and carousel buttons get their template texts', () => {
    const labels = buttonLabels({ buttons: [{ text: 'Copy code' }], suggestions: [{ text: 'Stop' }], cards: [{ buttons: [{ text: 'Buy' }] }] });
    expect(Object.fromEntries(labels)).toEqual({ b0: 'Copy code', s0: 'Stop (suggestion)', 'c0.b0': 'Buy (card 1)' });
  });

  it('when a number is shown in the send summary, then its middle is masked', () => {
    expect([maskNumber('13800138000'), maskNumber('+8613800138006'), maskNumber('12345')]).toEqual(['138****8000', '+86*******8006', '***45']);
  });
});
