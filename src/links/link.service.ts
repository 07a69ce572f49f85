/**
 * The links use cases, for the API and for the services that send with links (card campaigns,
 * smart SMS): single links, one personalised link per recipient of a send, attaching the messages
 * that carry them, campaigns and their smart-SMS parse counts.
 */
import type { Db } from '../db/db-client.js';
import { AppError } from '../http/app-error.js';
import type { Logger } from '../logging/logger.js';
import { newId } from '../ids.js';
import type { CampaignRepository } from './campaign.repository.js';
import type { Identities } from './identity.js';
import { distinctCodes } from './link-code.js';
import type { LinkCache } from './link-cache.js';
import type { LinkCommon, LinkRepository, LinkRow, StoredLink } from './link.repository.js';
import { LINK_KINDS, type Campaign, type Link, type NewLink, type ParseStats, type PersonalisedLinksInput, type ResolvedLink } from './link.js';

/** A number as a message carries it: digits with an optional leading +. */
const NUMBER = /^\+?\d{5,20}$/;
/** New codes tried per collision round before giving up (a collision is ~1 in 10^6 per code). */
const MAX_ROUNDS = 5;

export interface LinkServiceDeps {
  db: Db;
  links: LinkRepository;
  campaigns: CampaignRepository;
  cache: LinkCache;
  identities: Identities;
  /** Origin of short URLs (LINKS_BASE_URL, else this API's address once it listens). */
  baseUrl: () => string;
  logger: Logger;
  /** Code generator (tests force collisions with it); default: 8 random characters of CODE_ALPHABET. */
  newCode?: () => string;
}

export class LinkService {
  constructor(private readonly deps: LinkServiceDeps) {}

  /** The short URL of a code: `<base>/s/<code>`. */
  shortUrl(code: string): string {
    return `${this.deps.baseUrl()}/s/${code}`;
  }

  /**
   * The URL a card page's button points at: records the tap, then redirects to `target` (signed,
   * so the endpoint is no open redirect). For buttons that do not navigate (copy a code), POST to
   * the same path without the query (`navigator.sendBeacon`).
   */
  buttonUrl(code: string, button: string, target: string): string {
    const sig = this.deps.identities.buttonSignature(code, button, target);
    return `${this.deps.baseUrl()}/s/${code}/b/${encodeURIComponent(button)}?u=${encodeURIComponent(target)}&s=${sig}`;
  }

  toLink(l: StoredLink): Link {
    return {
      code: l.code, url: this.shortUrl(l.code), kind: l.kind, targetUrl: l.targetUrl, campaignId: l.campaignId, card: l.card, mms: l.mms ?? null,
      expiresAt: l.expiresAt === null ? null : new Date(l.expiresAt).toISOString(), personalised: l.recipient !== null,
      messageId: l.messageId, createdAt: l.createdAt.toISOString(),
    };
  }

  /** Creates the campaign, or updates its name / card template. */
  async createCampaign(accountId: string, c: { id?: string; name?: string | null; cardTemplateId?: string | null } = {}): Promise<Campaign> {
    return this.deps.campaigns.upsert(accountId, { id: c.id ?? newId('cmp'), name: c.name, cardTemplateId: c.cardTemplateId });
  }

  getCampaign(accountId: string, id: string): Promise<Campaign | undefined> {
    return this.deps.campaigns.get(accountId, id);
  }

  /** One link (POST /v1/links). A campaign id that does not exist yet creates the campaign. */
  async createLink(accountId: string, input: NewLink): Promise<Link> {
    checkShape(input.kind, input.targetUrl ?? null, input.card?.templateId ?? null, input.expiresAt ?? null);
    let campaignId = input.campaignId ?? null;
    if (campaignId !== null || input.campaignName) {
      campaignId = (await this.createCampaign(accountId, { id: campaignId ?? undefined, name: input.campaignName, cardTemplateId: input.card?.templateId })).id;
    }
    const common: LinkCommon = {
      accountId, kind: input.kind, targetUrl: input.targetUrl ?? null, campaignId,
      cardTemplateId: input.card?.templateId ?? null, expiresAt: input.expiresAt ?? null,
    };
    const variablesJson = input.card ? JSON.stringify(input.card.variables ?? {}) : null;
    const [row] = await this.insertWithRetries(common, [{ code: '', recipient: null, variablesJson, messageId: null }]);
    const stored = (await this.deps.links.get(accountId, row.code))!;
    await this.deps.cache.warm([resolvedOf(stored)]);
    return this.toLink(stored);
  }

  /**
   * One personalised link per recipient, in recipient order, all in one transaction (100,000 in
   * about a second on PostgreSQL). Each link stores an HMAC of the number (UV counts recipients),
   * the recipient's variables (card and mms links) and, if given, the message id. The campaign is created
   * when it does not exist. Every link is also written to the Redis link cache.
   */
  async createPersonalisedLinks(accountId: string, input: PersonalisedLinksInput): Promise<{ code: string; url: string }[]> {
    checkShape(input.kind, input.targetUrl ?? null, input.cardTemplateId ?? null, input.expiresAt ?? null, input.mmsTemplateId ?? null);
    const { identities } = this.deps;
    const hasVariables = input.kind === 'card' || input.kind === 'mms';
    const rows: LinkRow[] = input.recipients.map((r, i) => {
      if (typeof r.to !== 'string' || !NUMBER.test(r.to)) {
        throw new AppError(400, 'INVALID_NUMBER', `recipients[${i}].to must be a phone number as the message carries it (E.164, e.g. +8613800138000)`, `recipients.${i}.to`);
      }
      return { code: '', recipient: identities.recipient(r.to), variablesJson: hasVariables ? JSON.stringify(r.variables ?? {}) : null, messageId: r.messageId ?? null };
    });
    const common: LinkCommon = {
      accountId, kind: input.kind, targetUrl: input.targetUrl ?? null, campaignId: input.campaignId,
      cardTemplateId: input.cardTemplateId ?? null, mmsTemplateId: input.mmsTemplateId ?? null, expiresAt: input.expiresAt ?? null,
    };
    // Redis is written chunk by chunk while the next chunk goes to PostgreSQL (the two overlap);
    // if the transaction fails, the cached copies are removed again.
    const index = new Map<string, number>();
    const warmed: string[] = [];
    const warming: Promise<void>[] = [];
    // Deferred a turn, so that the next chunk's statement is on its way before this one's JSON is built.
    const warm = (codes: string[]) => warming.push(new Promise((r) => setImmediate(r)).then(() => this.deps.cache.warm(codes.map((code) => {
      // Codes are assigned (and, after a collision, re-assigned) inside the insert: index lazily.
      if (!index.has(code)) rows.forEach((r, i) => index.set(r.code, i));
      const i = index.get(code)!;
      warmed.push(code);
      return {
        code, accountId, kind: common.kind, targetUrl: common.targetUrl, campaignId: common.campaignId,
        card: common.cardTemplateId ? { templateId: common.cardTemplateId, variables: input.recipients[i].variables ?? {} } : null,
        ...(common.mmsTemplateId ? { mms: { templateId: common.mmsTemplateId, variables: input.recipients[i].variables ?? {} } } : {}),
        expiresAt: common.expiresAt ? common.expiresAt.getTime() : null, recipient: rows[i].recipient,
      };
    }))));
    let done: LinkRow[];
    try {
      done = await this.deps.db.transaction(async (tx) => {
        await this.deps.campaigns.upsert(accountId, { id: input.campaignId, cardTemplateId: input.cardTemplateId }, tx);
        const out = await this.insertWithRetries(common, rows, tx, warm);
        if (rows.some((r) => r.messageId)) await this.deps.campaigns.markMessagesAttached(accountId, [input.campaignId], tx);
        return out;
      });
    } catch (err) {
      await Promise.all(warming);
      await this.deps.cache.forget(warmed);
      throw err;
    }
    await Promise.all(warming);
    return done.map((r) => ({ code: r.code, url: this.shortUrl(r.code) }));
  }

  /**
   * Gives each row a fresh code and inserts; rows whose code was taken get a new one and go again.
   * Returns the rows with their codes, in input order.
   */
  private async insertWithRetries(common: LinkCommon, rows: LinkRow[], tx: Parameters<LinkRepository['insert']>[2] = this.deps.db, onChunk?: (codes: string[]) => void): Promise<LinkRow[]> {
    const codes = distinctCodes(rows.length, undefined, this.deps.newCode);
    rows.forEach((r, i) => (r.code = codes[i]));
    let pending = rows;
    for (let round = 0; pending.length; round++) {
      if (round === MAX_ROUNDS) throw new Error(`could not find free link codes for ${pending.length} links after ${MAX_ROUNDS} rounds`);
      const inserted = await this.deps.links.insert(common, pending, tx, onChunk);
      pending = pending.filter((r) => !inserted.has(r.code));
      if (pending.length) {
        this.deps.logger.info('link codes collided; retrying with new ones', { count: pending.length });
        const fresh = distinctCodes(pending.length, new Set(rows.map((r) => r.code)), this.deps.newCode);
        pending.forEach((r, i) => (r.code = fresh[i]));
      }
    }
    return rows;
  }

  /**
   * Records which message carries each link (after the send accepted them): the campaign's
   * delivered count, and so its click rate, comes from these messages. Returns links updated.
   */
  async attachMessages(accountId: string, pairs: readonly { code: string; messageId: string }[]): Promise<number> {
    return this.deps.db.transaction(async (tx) => {
      const n = await this.deps.links.attachMessages(accountId, pairs, tx);
      const campaigns = await tx.query<{ campaign_id: string }>(
        'select distinct campaign_id from links where account_id = $1 and code = any($2::text[]) and campaign_id is not null',
        [accountId, pairs.map((p) => p.code)],
      );
      await this.deps.campaigns.markMessagesAttached(accountId, campaigns.map((c) => c.campaign_id), tx);
      return n;
    });
  }

  /** A link of the account with its click counts; undefined when the account has no such code. */
  async getLink(accountId: string, code: string): Promise<(Link & { clicks: Awaited<ReturnType<LinkRepository['clickSummary']>> }) | undefined> {
    const stored = await this.deps.links.get(accountId, code);
    if (!stored) return undefined;
    return { ...this.toLink(stored), clicks: await this.deps.links.clickSummary(accountId, code) };
  }

  /** Stores a smart-SMS parse report of a campaign (aggregate counts; replaces the source's last). */
  async recordParseStats(accountId: string, campaignId: string, stats: ParseStats): Promise<void> {
    if (!Number.isSafeInteger(stats.requested) || !Number.isSafeInteger(stats.parsed) || stats.requested < 0 || stats.parsed < 0 || stats.parsed > stats.requested) {
      throw new Error(`parse stats of ${campaignId}: requested and parsed must be whole numbers with 0 <= parsed <= requested`);
    }
    await this.deps.campaigns.recordParseStats(accountId, campaignId, stats);
  }
}

export const resolvedOf = (l: StoredLink): ResolvedLink => ({
  code: l.code, accountId: l.accountId, kind: l.kind, targetUrl: l.targetUrl, campaignId: l.campaignId, card: l.card, ...(l.mms ? { mms: l.mms } : {}), expiresAt: l.expiresAt, recipient: l.recipient,
});

/** The rules every link follows, whoever creates it (the API checks the same with its schema first). */
function checkShape(kind: string, targetUrl: string | null, cardTemplateId: string | null, expiresAt: Date | null, mmsTemplateId: string | null = null): void {
  const bad = (field: string, message: string) => new AppError(400, 'VALIDATION_FAILED', `${field}: ${message}`, field);
  if (!(LINK_KINDS as readonly string[]).includes(kind)) throw bad('kind', `must be ${LINK_KINDS.join(', ')}`);
  if ((kind === 'mms') !== (mmsTemplateId !== null)) throw bad('mmsTemplateId', 'an mms link needs an MMS template id, and only mms links carry one');
  if (kind === 'mms' && cardTemplateId) throw bad('card', 'only card links carry a card');
  if (kind === 'redirect' && !targetUrl) throw bad('targetUrl', 'a redirect link needs a targetUrl');
  if (kind === 'card' && !cardTemplateId) throw bad('card.templateId', 'a card link needs a card template id');
  if (kind === 'redirect' && cardTemplateId) throw bad('card', 'only card links carry a card (set kind to card)');
  if (targetUrl !== null && !/^https?:\/\/[^\s]+$/i.test(targetUrl)) throw bad('targetUrl', 'must be an http(s) URL');
  if (expiresAt !== null && !(expiresAt.getTime() > Date.now())) throw bad('expiresAt', 'must be in the future');
}
