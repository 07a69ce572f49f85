/**
 * SIMULATOR — what the bundled smart-SMS parse platform remembers: templates and their review,
 * link batches with each link's number and H5 page, and the aggregate counts it reports.
 *
 * Counting model (documented in docs/smart-sms-provider.md):
 * - `countOn: 'issue'` (default): every number a link was issued for counts as sent once
 *   `reportDelayMs` has passed since the link request (the platform sends the SMS right after
 *   asking for links, and the provider counts what it was asked for, as real submission counts do).
 * - `countOn: 'receive'`: a number counts only once its SMS has reached the handset, which the
 *   simulated network reports through `receive()` (POST /sim/handsets/receive), plus the delay.
 * Of the counted numbers, those whose handset is parse-capable (simulator-handsets.ts) are
 * `parsed`; the rest are `failed` (the handset showed the text, and the H5 page on a tap).
 * Reports carry these sums only, never which number parsed.
 */
import { randomBytes } from 'node:crypto';
import type {
  BatchReport, CardSummary, DailyReport, LinkRequest, LinkResponse, ParseCounts, ProviderTemplate, RegisterTemplateRequest,
} from './smart-sms-api.js';
import { handsetOf } from './simulator-handsets.js';

export interface SimulatorStateOptions {
  reviewDelayMs: number;
  reportDelayMs: number;
  capableDigits: string;
  countOn: 'issue' | 'receive';
  /** `http://<domain>` or `https://<domain>`: how issued links start. */
  linkOrigin: (domain: string) => string;
  now?: () => number;
}

interface SimTemplate {
  info: Omit<ProviderTemplate, 'status' | 'reviewedAt' | 'reason'>;
  summary: CardSummary;
  reviewAt: number;
  decision: { status: 'approved' | 'rejected'; reason: string | null };
}

interface SimBatch {
  batchId: string;
  templateId: string;
  type: LinkRequest['type'];
  createdAt: number;
  mobiles: string[];
  capable: Uint8Array;
  /** Personalised: this number's H5 page (or undefined: the template's). */
  customUrls: Array<string | undefined>;
  /** Bulk: the H5 page of every number. */
  bulkUrl?: string;
  /** Receive mode: when each number's SMS reached the handset (NaN: not yet). */
  receivedAt: Float64Array;
  capableCount: number;
  mobileIndex?: Map<string, number>;
}

/** Where a link leads: the batch and the number's position (-1: the bulk link). */
interface LinkTarget { batch: SimBatch; index: number }

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** Review rule: a title containing this word is rejected (so the rejected path can be tried). */
export const REJECT_WORD = 'REJECT';

export class SimulatorState {
  readonly templates = new Map<string, SimTemplate>();
  private readonly batches = new Map<string, SimBatch>();
  private readonly byOutId = new Map<string, LinkResponse>();
  private readonly links = new Map<string, LinkTarget>();
  private seq = 0;
  private readonly now: () => number;

  constructor(private readonly opts: SimulatorStateOptions) {
    this.now = opts.now ?? Date.now;
  }

  registerTemplate(req: RegisterTemplateRequest): ProviderTemplate {
    const at = this.now();
    const templateId = `CST_${(++this.seq).toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`;
    const rejected = req.summary.title.toUpperCase().includes(REJECT_WORD);
    this.templates.set(templateId, {
      info: { templateId, outTemplateId: req.outTemplateId, domain: req.domain, customUrl: req.customUrl, createdAt: new Date(at).toISOString() },
      summary: req.summary,
      reviewAt: at + this.opts.reviewDelayMs,
      decision: rejected ? { status: 'rejected', reason: `vendors refused the card: its title contains "${REJECT_WORD}" (simulator rule)` } : { status: 'approved', reason: null },
    });
    return this.template(templateId)!;
  }

  /** The template with its review outcome once the review delay has passed. */
  template(templateId: string): ProviderTemplate | undefined {
    const t = this.templates.get(templateId);
    if (!t) return undefined;
    const reviewed = this.now() >= t.reviewAt;
    return {
      ...t.info,
      status: reviewed ? t.decision.status : 'pending',
      reason: reviewed ? t.decision.reason : null,
      reviewedAt: reviewed ? new Date(t.reviewAt).toISOString() : null,
    };
  }

  /** A repeated outId (per app key) gets the first answer: retries never issue twice. */
  previousLinks(appKey: string, outId: string): LinkResponse | undefined {
    return this.byOutId.get(`${appKey}\u0000${outId}`);
  }

  issueLinks(appKey: string, req: LinkRequest): LinkResponse {
    const batchId = `B${this.now().toString(36).toUpperCase()}${(++this.seq).toString(36).toUpperCase()}`;
    const n = req.recipients.length;
    const batch: SimBatch = {
      batchId, templateId: req.templateId, type: req.type, createdAt: this.now(),
      mobiles: req.recipients.map((r) => r.mobile),
      capable: new Uint8Array(n),
      customUrls: req.recipients.map((r) => r.customUrl),
      bulkUrl: req.type === 'bulk' ? req.customUrl : undefined,
      receivedAt: new Float64Array(n).fill(NaN),
      capableCount: 0,
    };
    for (let i = 0; i < n; i++) {
      if (handsetOf(batch.mobiles[i], this.opts.capableDigits).capable) {
        batch.capable[i] = 1;
        batch.capableCount++;
      }
    }
    this.batches.set(batchId, batch);
    const origin = this.opts.linkOrigin(req.domain);
    let answer: LinkResponse;
    if (req.type === 'bulk') {
      const code = this.newCode();
      this.links.set(code, { batch, index: -1 });
      answer = { batchId, outId: req.outId, templateId: req.templateId, type: 'bulk', count: n, url: `${origin}/p/${code}` };
    } else {
      const links = batch.mobiles.map((mobile, index) => {
        const code = this.newCode();
        this.links.set(code, { batch, index });
        return { mobile, url: `${origin}/p/${code}` };
      });
      answer = { batchId, outId: req.outId, templateId: req.templateId, type: 'personalised', count: n, links };
    }
    this.byOutId.set(`${appKey}\u0000${req.outId}`, answer);
    return answer;
  }

  /** The H5 page a tap on the link opens (what a handset that did not render the card shows). */
  landingPage(code: string): string | undefined {
    const target = this.links.get(code);
    if (!target) return undefined;
    const page = target.index >= 0 ? target.batch.customUrls[target.index] : target.batch.bulkUrl;
    return page ?? this.templates.get(target.batch.templateId)?.info.customUrl;
  }

  /**
   * The simulated network delivered these SMS (receive mode). A bulk link names its number with
   * `mobile`. Returns how many numbers were newly marked.
   */
  receive(items: ReadonlyArray<{ link: string; mobile?: string }>): { received: number; unknown: number } {
    let received = 0;
    let unknown = 0;
    const at = this.now();
    for (const item of items) {
      const code = /\/p\/([0-9A-Za-z]+)\/?$/.exec(item.link)?.[1] ?? item.link;
      const target = this.links.get(code);
      let index = target?.index ?? -1;
      if (target && index < 0 && item.mobile) {
        const b = target.batch;
        b.mobileIndex ??= new Map(b.mobiles.map((m, i) => [m, i]));
        index = b.mobileIndex.get(item.mobile.replace(/^\+?86(?=1\d{10}$)/, '')) ?? -1;
      }
      if (!target || index < 0) {
        unknown++;
        continue;
      }
      if (Number.isNaN(target.batch.receivedAt[index])) {
        target.batch.receivedAt[index] = at;
        received++;
      }
    }
    return { received, unknown };
  }

  batchReport(batchId: string): BatchReport | undefined {
    const b = this.batches.get(batchId);
    if (!b) return undefined;
    const counts: ParseCounts = { sent: 0, parsed: 0, failed: 0 };
    this.forEachCounted(b, (i) => {
      counts.sent++;
      if (b.capable[i]) counts.parsed++;
    });
    counts.failed = counts.sent - counts.parsed;
    return { batchId, templateId: b.templateId, ...counts };
  }

  /** Per template and China-time day of the moment each number was counted. */
  dailyReport(templateIds: readonly string[], from: string, to: string): DailyReport[] {
    const wanted = new Set(templateIds);
    const rows = new Map<string, DailyReport>();
    for (const b of this.batches.values()) {
      if (!wanted.has(b.templateId)) continue;
      this.forEachCounted(b, (i, at) => {
        const date = new Date(at + CHINA_OFFSET_MS).toISOString().slice(0, 10);
        if (date < from || date > to) return;
        const key = `${b.templateId} ${date}`;
        let row = rows.get(key);
        if (!row) rows.set(key, (row = { templateId: b.templateId, date, sent: 0, parsed: 0, failed: 0 }));
        row.sent++;
        if (b.capable[i]) row.parsed++;
        else row.failed++;
      });
    }
    return [...rows.values()].sort((a, b) => (a.templateId === b.templateId ? a.date.localeCompare(b.date) : a.templateId.localeCompare(b.templateId)));
  }

  /** Calls fn(index, countedAt) for every number of the batch that the report counts now. */
  private forEachCounted(b: SimBatch, fn: (i: number, at: number) => void): void {
    const cutoff = this.now() - this.opts.reportDelayMs;
    if (this.opts.countOn === 'issue') {
      if (b.createdAt > cutoff) return;
      for (let i = 0; i < b.mobiles.length; i++) fn(i, b.createdAt);
      return;
    }
    for (let i = 0; i < b.mobiles.length; i++) {
      const at = b.receivedAt[i];
      if (!Number.isNaN(at) && at <= cutoff) fn(i, at);
    }
  }

  private newCode(): string {
    for (;;) {
      const bytes = randomBytes(8);
      let code = '';
      // 256 % 62 bias is irrelevant for a simulator's codes; uniqueness is checked below.
      for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
      if (!this.links.has(code)) return code;
    }
  }
}
