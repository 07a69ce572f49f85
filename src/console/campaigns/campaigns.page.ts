/**
 * Console pages of card campaigns (issue 4): the account's campaigns, a "New campaign" form that
 * sends an approved card template to a pasted (or CSV-file) recipient list through the same
 * CardCampaignService as POST /v1/cards/send, and a campaign's page: PV/UV over time, delivered,
 * click and parse rates, and the button and device breakdowns, all from the click report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Response } from 'express';
import type { Account } from '../../accounts/account.js';
import type { SignatureRepository } from '../../accounts/signature.repository.js';
import type { CardCampaignService } from '../../campaigns/card-campaign.service.js';
import type { CardTemplate } from '../../cards/card-template.repository.js';
import type { CardTemplateService } from '../../cards/card-template.service.js';
import { AppError } from '../../http/app-error.js';
import { MAX_BATCH_RECIPIENTS } from '../../http/routes/message-schemas.js';
import type { CampaignRepository } from '../../links/campaign.repository.js';
import { ID_PATTERN } from '../../links/click-report-params.js';
import type { ClickReports } from '../../links/click-reports.js';
import type { Campaign } from '../../links/link.js';
import type { FallbackReports } from '../../fallback/report/fallback-reports.js';
import { lineChart } from '../chart/line-chart.js';
import { fallbackSection } from '../fallback/fallback-view.js';
import { ConsoleError, consoleAccount, type ConsolePage, type ConsolePageContext } from '../console-page.js';
import { CONSOLE_TEMPLATES_DIR } from '../views.js';
import { breakdown, bucketLabel, buttonLabels, campaignPeriod, campaignTotals, countAxisMax, pvUvSeries } from './campaign-view.js';
import { parseRecipients } from './recipients-input.js';
import { FLASH_MAX_REJECTED, maskNumber, setSendFlash, takeSendFlash } from './send-flash.js';

export const CAMPAIGNS_PAGE_PATH = '/console/campaigns';
const PAGE_SIZE = 50;
/** Approved templates offered in the form (newest first). */
const MAX_TEMPLATES = 200;

export interface CampaignsPageDeps {
  campaigns: Pick<CampaignRepository, 'list' | 'get' | 'deliveredCounts' | 'parseTotals'>;
  templates: Pick<CardTemplateService, 'list' | 'get'>;
  signatures: Pick<SignatureRepository, 'approvedNames'>;
  sender: Pick<CardCampaignService, 'send'>;
  reports: Pick<ClickReports, 'report'>;
  /** The fallback report: the "Channels" section of a campaign sent down a channel chain. */
  fallbackReports?: Pick<FallbackReports, 'report'>;
  /** How long a delivered count is reused (config.links.deliveredCacheMs, as the click report). */
  deliveredCacheMs: number;
  /** Mark the flash cookie Secure (HTTPS console). */
  secureCookies: boolean;
  now?: () => Date;
}

interface SendForm {
  templateId: string;
  signature: string;
  campaignName: string;
  recipients: string;
}

/** What the parse platform's answer means for the recipients, in the send summary. */
const SMART_SMS_NOTE: Record<'approved' | 'pending' | 'rejected' | 'unavailable', string> = {
  approved: 'parse-capable handsets show the card; others get a link to it',
  pending: 'the parse platform is still reviewing the template, so the texts carry links to the card page',
  rejected: 'the parse platform refused the template, so the texts carry links to the card page',
  unavailable: 'the parse platform was unavailable, so the texts carry links to the card page',
};

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
const utcMinute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export function campaignsPage(deps: CampaignsPageDeps): ConsolePage {
  const now = deps.now ?? (() => new Date());
  // A same-origin script (the console's CSP allows 'self' only): reads a chosen CSV file into the textarea.
  const script = readFileSync(join(CONSOLE_TEMPLATES_DIR, 'campaigns', 'recipients-file.js'), 'utf8');

  const templateNames = async (accountId: string, ids: string[]) => {
    const found = await Promise.all([...new Set(ids)].map((id) => findTemplate(accountId, id)));
    return new Map(found.filter((t): t is CardTemplate => !!t).map((t) => [t.id, t.name]));
  };

  /** The template, or undefined when the account has none with this id (other errors propagate). */
  function findTemplate(accountId: string, id: string): Promise<CardTemplate | undefined> {
    return deps.templates.get(accountId, id).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) return undefined;
      throw err;
    });
  }

  async function renderForm(ctx: ConsolePageContext, res: Response, account: Account, form: SendForm, problems: { field: string; message: string }[] = [], status = 200) {
    const [templates, signatures] = await Promise.all([
      deps.templates.list(account.id, { status: 'approved', limit: MAX_TEMPLATES }),
      deps.signatures.approvedNames(account.id),
    ]);
    ctx.render(res, 'campaigns/new', {
      title: 'New campaign',
      form,
      problems,
      templates: templates.map((t) => ({ id: t.id, label: `${t.name} (${t.type})`, variables: t.variables.join(', ') || 'none', selected: t.id === form.templateId })),
      signatures: signatures.map((s) => ({ name: s, selected: s === form.signature })),
      maxRecipients: MAX_BATCH_RECIPIENTS.toLocaleString('en'),
    }, status);
  }

  return {
    nav: { label: 'Campaigns', href: CAMPAIGNS_PAGE_PATH },
    routes(ctx) {
      const r = express.Router();

      r.get('/campaigns', async (req, res) => {
        const account = consoleAccount(res);
        const afterId = typeof req.query.after === 'string' && ID_PATTERN.test(req.query.after) ? req.query.after : undefined;
        const page = await deps.campaigns.list(account.id, { limit: PAGE_SIZE + 1, afterId });
        const shown = page.slice(0, PAGE_SIZE);
        const ids = shown.map((c) => c.id);
        const [names, delivered] = await Promise.all([
          templateNames(account.id, shown.flatMap((c) => (c.cardTemplateId ? [c.cardTemplateId] : []))),
          deps.campaigns.deliveredCounts(account.id, ids, deps.deliveredCacheMs),
        ]);
        ctx.render(res, 'campaigns/list', {
          title: 'Campaigns',
          campaigns: shown.map((c) => ({
            href: `${CAMPAIGNS_PAGE_PATH}/${encodeURIComponent(c.id)}`, id: c.id, name: c.name ?? c.id,
            template: c.cardTemplateId ? names.get(c.cardTemplateId) ?? c.cardTemplateId : '—',
            created: utcMinute(c.createdAt), delivered: delivered.get(c.id) ?? '—',
          })),
          olderHref: page.length > PAGE_SIZE ? `${CAMPAIGNS_PAGE_PATH}?after=${encodeURIComponent(shown[shown.length - 1].id)}` : undefined,
          firstPage: !afterId,
        });
      });

      r.get('/campaigns/assets/recipients-file.js', (_req, res) => {
        res.type('text/javascript').set('Cache-Control', 'private, max-age=3600').send(script);
      });

      r.get('/campaigns/new', async (req, res) => {
        const account = consoleAccount(res);
        await renderForm(ctx, res, account, { templateId: str(req.query.templateId, 64), signature: '', campaignName: '', recipients: '' });
      });

      r.post('/campaigns', async (req, res) => {
        const account = consoleAccount(res);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const form: SendForm = {
          templateId: str(body.templateId, 64), signature: str(body.signature, 16),
          campaignName: str(body.campaignName, 200).trim(), recipients: typeof body.recipients === 'string' ? body.recipients : '',
        };
        const problems: { field: string; message: string }[] = [];
        const template = form.templateId ? await findTemplate(account.id, form.templateId) : undefined;
        if (!template) problems.push({ field: 'templateId', message: 'Choose a card template' });
        else if (template.status !== 'approved') problems.push({ field: 'templateId', message: `Template "${template.name}" is ${template.status}: only approved templates can be sent` });
        if (!(await deps.signatures.approvedNames(account.id)).includes(form.signature)) problems.push({ field: 'signature', message: 'Choose one of the account\'s approved signatures' });
        if (form.campaignName.length > 100) problems.push({ field: 'campaignName', message: 'The campaign name may have at most 100 characters' });
        const parsed = template ? parseRecipients(form.recipients, template.variables, MAX_BATCH_RECIPIENTS) : { recipients: [], problems: [] };
        problems.push(...parsed.problems);
        if (problems.length) return renderForm(ctx, res, account, form, problems, 400);

        let result;
        try {
          result = await deps.sender.send(account, {
            templateId: template!.id, signature: form.signature, campaignName: form.campaignName || undefined,
            recipients: parsed.recipients.map((p) => ({ to: p.to, variables: p.variables })),
          });
        } catch (err) {
          // The service's own refusals (balance, category, a template withdrawn meanwhile) go back on the form.
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          return renderForm(ctx, res, account, form, [{ field: err.field ?? 'form', message: err.message }], err.status);
        }
        setSendFlash(res, {
          campaignId: result.campaignId, accepted: result.accepted, rejectedCount: result.rejected.length, costMillis: result.costMillis, smartSms: SMART_SMS_NOTE[result.smartSms.status],
          rejected: result.rejected.slice(0, FLASH_MAX_REJECTED).map((x) => ({
            line: parsed.recipients[x.index]?.line ?? 0, to: maskNumber(x.to), code: x.code, message: x.message.slice(0, 160),
          })),
        }, deps.secureCookies);
        res.redirect(303, `${CAMPAIGNS_PAGE_PATH}/${encodeURIComponent(result.campaignId)}`);
      });

      r.get('/campaigns/:id', async (req, res) => {
        const account = consoleAccount(res);
        const id = req.params.id;
        const campaign = ID_PATTERN.test(id) ? await deps.campaigns.get(account.id, id) : undefined;
        if (!campaign) throw new ConsoleError(404, 'There is no campaign with this id in your account.');
        const flash = takeSendFlash(req, res, campaign.id, deps.secureCookies);
        ctx.render(res, 'campaigns/show', { title: `Campaign ${campaign.name ?? campaign.id}`, ...(await campaignView(account.id, campaign)), flash, flashPartial: !!flash && flash.rejectedCount > flash.rejected.length });
      });
      return r;
    },
  };

  async function campaignView(accountId: string, campaign: Campaign) {
    const period = campaignPeriod(new Date(campaign.createdAt), now());
    const q = { accountId, from: period.from, until: period.until, timeZone: 'UTC', campaignId: campaign.id };
    const [overTime, whole, buttons, devices, delivered, parse, template, fallback] = await Promise.all([
      deps.reports.report({ ...q, groupBy: [period.granularity] }),
      deps.reports.report({ ...q, groupBy: [] }),
      deps.reports.report({ ...q, groupBy: ['button'] }),
      deps.reports.report({ ...q, groupBy: ['device'] }),
      deps.campaigns.deliveredCounts(accountId, [campaign.id], deps.deliveredCacheMs),
      deps.campaigns.parseTotals(accountId, [campaign.id]),
      campaign.cardTemplateId ? findTemplate(accountId, campaign.cardTemplateId) : undefined,
      deps.fallbackReports?.report({ ...q, groupBy: ['step'] }),
    ]);
    const labels = template ? buttonLabels(template.card) : new Map<string, string>();
    const unit = period.granularity === 'hour' ? 'hour' : 'day';
    const series = pvUvSeries(period, overTime.rows);
    const chart = lineChart({
      id: 'campaign-pv-uv',
      title: `Page views (PV) and unique visitors (UV) by ${unit}, UTC`,
      categories: period.buckets,
      series,
      yMax: countAxisMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)))),
      width: 1000,
      formatY: (v) => String(v),
      formatX: bucketLabel,
    });
    return {
      campaign: { id: campaign.id, name: campaign.name ?? campaign.id, created: utcMinute(campaign.createdAt), template: template ? template.name : campaign.cardTemplateId ?? '—' },
      totals: campaignTotals(whole.rows[0], delivered.get(campaign.id) ?? null, parse.get(campaign.id)),
      chart, unit,
      buttons: breakdown(buttons.rows, 'button', (b) => labels.get(b) ?? b),
      devices: breakdown(devices.rows, 'device'),
      // Only campaigns sent down a chain have the section.
      channels: fallback && fallback.totals.sends > 0 ? fallbackSection('campaign-channels-chart', fallback) : undefined,
    };
  }
}
