/**
 * The fallback report use case: step counts, their top reason codes and the send totals, read in
 * parallel and put together (fallback-report.ts has the definitions). The console and
 * GET /v1/reports/fallback both call {@link FallbackReports.report}.
 */
import { TOP_REASON_CODES, compareRows, type FallbackReport, type FallbackReportQuery, type FallbackStepRow } from './fallback-report.js';
import { sendTotalsOf, type FallbackReportRepository, type ReasonCodeRow } from './fallback-report.repository.js';

const groupKey = (r: Pick<FallbackStepRow, 'day' | 'step' | 'channel'>) => `${r.day ?? ''}|${r.step ?? ''}|${r.channel ?? ''}`;

/** The most frequent (reason, code) pairs of each group, ties by code in byte order. */
function topCodes(rows: readonly ReasonCodeRow[]): Map<string, FallbackStepRow['topReasonCodes']> {
  const byGroup = new Map<string, ReasonCodeRow[]>();
  for (const r of rows) {
    const k = groupKey(r);
    byGroup.set(k, [...(byGroup.get(k) ?? []), r]);
  }
  const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return new Map([...byGroup].map(([k, list]) => [
    k,
    list.sort((a, b) => b.count - a.count || byte(a.code, b.code) || byte(a.reason, b.reason))
      .slice(0, TOP_REASON_CODES).map((c) => ({ reason: c.reason, code: c.code, count: c.count })),
  ]));
}

export class FallbackReports {
  constructor(private readonly repo: FallbackReportRepository) {}

  async report(q: FallbackReportQuery): Promise<FallbackReport> {
    const byDay = q.groupBy.includes('day');
    const [steps, codes, totals, days] = await Promise.all([
      this.repo.stepCounts(q),
      this.repo.reasonCodes(q),
      this.repo.sendTotals(q, false),
      byDay ? this.repo.sendTotals(q, true) : undefined,
    ]);
    const top = topCodes(codes);
    return {
      from: q.from.toISOString(), until: q.until.toISOString(), tz: q.timeZone, groupBy: q.groupBy,
      campaign: q.campaignId ?? null, category: q.category ?? null,
      rows: steps.map((s) => ({ ...s, topReasonCodes: top.get(groupKey(s)) ?? [] })).sort(compareRows),
      totals: totals[0] ?? sendTotalsOf(undefined),
      days: days ? days.map((d) => ({ ...d, day: d.day! })).sort((a, b) => a.day.localeCompare(b.day)) : null,
    };
  }
}
