/**
 * The click report use case: counts from the rollups or the raw clicks (click-report.ts decides),
 * then each row's delivered count, click rate and smart-SMS parse rate from its campaigns.
 */
import type { CampaignParseTotals, CampaignRepository } from './campaign.repository.js';
import { rollupAnswers, type ClickMeasures, type ClickReport, type ClickReportQuery, type ClickRow } from './click-report.js';
import type { ClickCountRow, ClickReportRepository } from './click-report.repository.js';
import type { LinkRepository } from './link.repository.js';

export interface ClickReportsDeps {
  repo: ClickReportRepository;
  campaigns: Pick<CampaignRepository, 'ids' | 'deliveredCounts' | 'parseTotals'>;
  links: Pick<LinkRepository, 'deliveredByLink'>;
  /** How long a campaign's delivered count is reused (LINKS_DELIVERED_CACHE_MS). */
  deliveredCacheMs: number;
}

const sum = (values: (number | undefined)[]): number | null => {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) : null;
};

function measures(c: ClickCountRow, delivered: number | null, parse: CampaignParseTotals | null): ClickMeasures {
  return {
    pv: c.pv, uv: c.uv, bots: c.bots,
    delivered,
    clickRate: delivered ? c.uv / delivered : null,
    parseRequested: parse?.requested ?? null,
    parsed: parse?.parsed ?? null,
    parseRate: parse && parse.requested > 0 ? parse.parsed / parse.requested : null,
  };
}

export class ClickReports {
  constructor(private readonly deps: ClickReportsDeps) {}

  /** The report; `source` forces one store (tests compare them; normally chosen per query). */
  async report(q: ClickReportQuery, source?: 'rollup' | 'clicks'): Promise<ClickReport> {
    const from = source ?? (rollupAnswers(q) ? 'rollup' : 'clicks');
    const counts = from === 'rollup' ? await this.deps.repo.fromRollups(q) : await this.deps.repo.fromClicks(q);
    return {
      from: q.from.toISOString(), until: q.until.toISOString(), tz: q.timeZone, groupBy: q.groupBy,
      campaign: q.campaignId ?? null, templateId: q.templateId ?? null, source: from,
      rows: await this.withCampaignMeasures(q, counts),
    };
  }

  private async withCampaignMeasures(q: ClickReportQuery, counts: ClickCountRow[]): Promise<ClickRow[]> {
    const { campaigns } = this.deps;
    const dims = (c: ClickCountRow) => Object.fromEntries(q.groupBy.map((d) => [d, c[d] ?? null]));
    if (q.groupBy.includes('link')) {
      const delivered = await this.deps.links.deliveredByLink(q.accountId, [...new Set(counts.map((c) => c.link!).filter(Boolean))]);
      return counts.map((c) => ({ ...dims(c), ...measures(c, delivered.get(c.link!) ?? null, null) }));
    }
    if (q.groupBy.includes('campaign')) {
      const ids = [...new Set(counts.map((c) => c.campaign).filter((id): id is string => !!id))];
      const [delivered, parse] = await Promise.all([campaigns.deliveredCounts(q.accountId, ids, this.deps.deliveredCacheMs), campaigns.parseTotals(q.accountId, ids)]);
      return counts.map((c) => ({ ...dims(c), ...measures(c, c.campaign ? delivered.get(c.campaign) ?? null : null, c.campaign ? parse.get(c.campaign) ?? null : null) }));
    }
    // Every row shares the campaigns of the report's filter (all of the account's without one).
    const ids = q.campaignId !== undefined ? [q.campaignId] : await campaigns.ids(q.accountId, q.templateId);
    const [delivered, parse] = await Promise.all([campaigns.deliveredCounts(q.accountId, ids, this.deps.deliveredCacheMs), campaigns.parseTotals(q.accountId, ids)]);
    const deliveredSum = sum(ids.map((id) => delivered.get(id)));
    const parsed = [...parse.values()];
    const parseSum = parsed.length ? { requested: sum(parsed.map((p) => p.requested))!, parsed: sum(parsed.map((p) => p.parsed))! } : null;
    return counts.map((c) => ({ ...dims(c), ...measures(c, deliveredSum, parseSum) }));
  }
}
