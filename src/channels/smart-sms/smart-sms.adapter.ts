/**
 * HTTP client of the smart-SMS parse platform (smart-sms-api.ts): template registration and
 * review status, parse links (bulk or personalised), support per number, aggregate parse reports.
 * Points at a provider or the bundled simulator by configuration. Every answer becomes a value or
 * a ChannelError carrying the provider's own code and whether trying again can help; the raw error
 * answer is returned alongside. Requests over the provider's per-call limits (10,000 numbers, 100
 * report ids) are split into several calls here, so callers never see the limit.
 */
import { ChannelError } from '../channel-adapter.js';
import {
  MAX_IDS_PER_REPORT, MAX_NUMBERS_PER_CALL,
  type BatchReportResponse, type DailyReportRequest, type DailyReportResponse, type LinkResponse, type LinkType,
  type ProviderEnvelope, type ProviderErrorBody, type ProviderTemplate, type RegisterTemplateRequest, type SupportResponse,
} from './smart-sms-api.js';
import { chunk, toProviderMobile } from './smart-sms-numbers.js';
import { signedHeaders } from './smart-sms-signature.js';

export interface SmartSmsAdapterOptions {
  /** Provider base URL, or the simulator's (a function when known only after start). */
  baseUrl: string | (() => string);
  appKey: string;
  appSecret: string;
  /** Per HTTP call. Default 10 s. */
  timeoutMs?: number;
  /** Calls of one split request in flight at once. Default 2. */
  concurrency?: number;
  fetch?: typeof fetch;
}

/** Upstream (ChannelError) codes of this adapter; listed in error-codes.ts UPSTREAM_CODES. */
export const SMART_SMS_UPSTREAM = {
  REJECTED: 'SMART_SMS_API_REJECTED',
  AUTH: 'SMART_SMS_API_AUTH_FAILED',
  NOT_APPROVED: 'SMART_SMS_TEMPLATE_NOT_APPROVED',
  THROTTLED: 'SMART_SMS_API_THROTTLED',
  SERVER: 'SMART_SMS_API_SERVER_ERROR',
  TIMEOUT: 'SMART_SMS_API_TIMEOUT',
  UNREACHABLE: 'SMART_SMS_API_UNREACHABLE',
  BAD_RESPONSE: 'SMART_SMS_API_BAD_RESPONSE',
  INVALID_NUMBER: 'SMART_SMS_INVALID_NUMBER',
} as const;

export interface SmartSmsFailure {
  ok: false;
  error: ChannelError;
  httpStatus: number | null;
  response?: ProviderErrorBody | string;
}
export type SmartSmsResult<T> = { ok: true; value: T } | SmartSmsFailure;

/** One provider call of a split link request. */
export interface LinkBatch {
  batchId: string;
  outId: string;
  count: number;
}

export interface LinkRecipient {
  /** +E.164 (+8613800138000) or the 11-digit national form. */
  number: string;
  customUrl?: string;
  params?: Record<string, string>;
}

export interface LinksInput {
  templateId: string;
  domain: string;
  /** Stable id of this request (≤ 80 chars): calls go out as `<outId>:<n>`, so a retry gets the same links. */
  outId: string;
  type: LinkType;
  /** Bulk only: the H5 page (default: the template's customUrl). */
  customUrl?: string;
  recipients: readonly LinkRecipient[];
}

export interface LinksValue {
  /** The parse link of each recipient, in input order (bulk: the link of that recipient's call). */
  links: string[];
  batches: LinkBatch[];
}

/** A failed link request still reports the calls that succeeded before it (their links exist). */
export type LinksResult = { ok: true; value: LinksValue } | (SmartSmsFailure & { completed: LinkBatch[] });

const AUTH_CODES = new Set(['MissingSignature', 'InvalidAppKey', 'SignatureExpired', 'SignatureDoesNotMatch']);
const TRANSIENT_CODES = new Set(['InternalError', 'ServiceUnavailable', 'NonceReused']);

/**
 * Maps a non-OK answer to a ChannelError. The provider's `code` decides first; the HTTP status
 * decides for answers without one (a proxy's 502, an HTML error page).
 */
export function classifyProviderError(httpStatus: number, body: unknown): ChannelError {
  const b = body as Partial<ProviderErrorBody> | undefined;
  const code = typeof b?.code === 'string' && b.code !== 'OK' ? b.code : undefined;
  const text = code ? `${code}: ${b?.message ?? ''}`.trim() : `HTTP ${httpStatus} without a provider error body`;
  const provider = code ?? httpStatus;
  if (code === 'TemplateNotApproved') return new ChannelError(SMART_SMS_UPSTREAM.NOT_APPROVED, text, false, code);
  if (code && AUTH_CODES.has(code)) return new ChannelError(SMART_SMS_UPSTREAM.AUTH, text, false, code);
  if (code === 'Throttled' || httpStatus === 429) return new ChannelError(SMART_SMS_UPSTREAM.THROTTLED, text, true, provider);
  if ((code && TRANSIENT_CODES.has(code)) || httpStatus >= 500) return new ChannelError(SMART_SMS_UPSTREAM.SERVER, text, true, provider);
  if (httpStatus === 401 || httpStatus === 403) return new ChannelError(SMART_SMS_UPSTREAM.AUTH, text, false, provider);
  return new ChannelError(SMART_SMS_UPSTREAM.REJECTED, text, false, provider);
}

export class SmartSmsAdapter {
  readonly id = 'smart-sms';
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: SmartSmsAdapterOptions) {
    this.fetchImpl = opts.fetch ?? fetch;
  }

  registerTemplate(req: RegisterTemplateRequest): Promise<SmartSmsResult<ProviderTemplate>> {
    return this.call<ProviderTemplate>('POST', '/api/v1/templates', req, (d) => typeof d?.templateId === 'string' && typeof d.status === 'string');
  }

  getTemplate(templateId: string): Promise<SmartSmsResult<ProviderTemplate>> {
    return this.call<ProviderTemplate>('GET', `/api/v1/templates/${encodeURIComponent(templateId)}`, undefined, (d) => typeof d?.templateId === 'string' && typeof d.status === 'string');
  }

  /** Parse links for any number of recipients, ≤ 10,000 per provider call. */
  async requestLinks(input: LinksInput): Promise<LinksResult> {
    const mobiles: string[] = [];
    for (const [i, r] of input.recipients.entries()) {
      const m = toProviderMobile(r.number);
      // The index, not the number: error messages end up in logs and API answers.
      if (!m) return { ok: false, completed: [], httpStatus: null, error: new ChannelError(SMART_SMS_UPSTREAM.INVALID_NUMBER, `recipients[${i}]: not a mainland China mobile number; smart SMS cannot reach it`, false) };
      mobiles.push(m);
    }
    const parts = chunk(input.recipients.map((r, i) => ({ ...r, mobile: mobiles[i] })), MAX_NUMBERS_PER_CALL);
    const links: string[] = new Array(input.recipients.length);
    const batches: Array<LinkBatch | undefined> = new Array(parts.length);
    const failure = await this.forEachLimited(parts.length, async (n) => {
      const part = parts[n];
      const outId = `${input.outId}:${n}`;
      const body = {
        templateId: input.templateId, domain: input.domain, outId, type: input.type,
        ...(input.type === 'bulk' && input.customUrl ? { customUrl: input.customUrl } : {}),
        recipients: part.map((r) => ({
          mobile: r.mobile,
          ...(input.type === 'personalised' && r.customUrl ? { customUrl: r.customUrl } : {}),
          ...(r.params ? { params: r.params } : {}),
        })),
      };
      const res = await this.call<LinkResponse>('POST', '/api/v1/links', body, (d) => typeof d?.batchId === 'string'
        && (input.type === 'bulk' ? typeof d.url === 'string' : Array.isArray(d.links) && d.links.length === part.length && d.links.every((l) => typeof l?.url === 'string')));
      if (!res.ok) return res;
      const offset = n * MAX_NUMBERS_PER_CALL;
      for (let i = 0; i < part.length; i++) links[offset + i] = input.type === 'bulk' ? res.value.url! : res.value.links![i].url;
      batches[n] = { batchId: res.value.batchId, outId, count: part.length };
      return undefined;
    });
    const done = batches.filter((b): b is LinkBatch => b !== undefined);
    return failure ? { ...failure, completed: done } : { ok: true, value: { links, batches: done } };
  }

  /**
   * Whether each number's handset renders smart SMS, in input order. Numbers outside mainland
   * China are unsupported without asking (no provider can reach them).
   */
  async support(numbers: readonly string[], templateId?: string): Promise<SmartSmsResult<Array<{ supported: boolean; vendor: string | null }>>> {
    const out: Array<{ supported: boolean; vendor: string | null }> = numbers.map(() => ({ supported: false, vendor: null }));
    const asked = numbers.map((n, i) => ({ i, mobile: toProviderMobile(n) })).filter((x): x is { i: number; mobile: string } => x.mobile !== undefined);
    const parts = chunk(asked, MAX_NUMBERS_PER_CALL);
    const failure = await this.forEachLimited(parts.length, async (n) => {
      const part = parts[n];
      const res = await this.call<SupportResponse>('POST', '/api/v1/support', { ...(templateId ? { templateId } : {}), mobiles: part.map((p) => p.mobile) },
        (d) => Array.isArray(d?.results) && d.results.length === part.length);
      if (!res.ok) return res;
      res.value.results.forEach((r, k) => (out[part[k].i] = { supported: r.supported === true, vendor: r.vendor ?? null }));
      return undefined;
    });
    return failure ?? { ok: true, value: out };
  }

  /** Aggregate counts per batch (running totals), ≤ 100 batch ids per provider call. */
  async batchReports(batchIds: readonly string[]): Promise<SmartSmsResult<BatchReportResponse>> {
    const parts = chunk(batchIds, MAX_IDS_PER_REPORT);
    const merged: BatchReportResponse = { asOf: new Date().toISOString(), reports: [], unknownBatchIds: [] };
    const failure = await this.forEachLimited(parts.length, async (n) => {
      const res = await this.call<BatchReportResponse>('POST', '/api/v1/reports/batches', { batchIds: parts[n] }, (d) => Array.isArray(d?.reports) && typeof d.asOf === 'string');
      if (!res.ok) return res;
      merged.reports.push(...res.value.reports);
      merged.unknownBatchIds.push(...(res.value.unknownBatchIds ?? []));
      // The oldest computation time is the one every count is at least as fresh as.
      if (res.value.asOf < merged.asOf) merged.asOf = res.value.asOf;
      return undefined;
    });
    return failure ?? { ok: true, value: merged };
  }

  /** Aggregate counts per template and day of sending (China time). */
  async dailyReports(req: DailyReportRequest): Promise<SmartSmsResult<DailyReportResponse>> {
    const parts = chunk(req.templateIds, MAX_IDS_PER_REPORT);
    const merged: DailyReportResponse = { asOf: new Date().toISOString(), reports: [] };
    const failure = await this.forEachLimited(parts.length, async (n) => {
      const res = await this.call<DailyReportResponse>('POST', '/api/v1/reports/daily', { ...req, templateIds: parts[n] }, (d) => Array.isArray(d?.reports));
      if (!res.ok) return res;
      merged.reports.push(...res.value.reports);
      if (res.value.asOf < merged.asOf) merged.asOf = res.value.asOf;
      return undefined;
    });
    return failure ?? { ok: true, value: merged };
  }

  /** Runs task(0..count-1), a few at a time; stops starting new ones at the first failure. */
  private async forEachLimited(count: number, task: (n: number) => Promise<SmartSmsFailure | undefined>): Promise<SmartSmsFailure | undefined> {
    let next = 0;
    let failure: SmartSmsFailure | undefined;
    const worker = async () => {
      while (!failure && next < count) {
        const f = await task(next++);
        if (f && !failure) failure = f;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 2, count) }, worker));
    return failure;
  }

  /** One signed call. `valid` checks the `data` of an OK answer has what the caller reads. */
  private async call<T>(method: 'GET' | 'POST', path: string, payload: unknown, valid: (data: Partial<T> | undefined) => boolean): Promise<SmartSmsResult<T>> {
    const base = typeof this.opts.baseUrl === 'function' ? this.opts.baseUrl() : this.opts.baseUrl;
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    let res: Response;
    let raw: string;
    try {
      res = await this.fetchImpl(`${base.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { ...signedHeaders(this.opts.appKey, this.opts.appSecret, { method, path, body }), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body || undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      // Retrying is safe: link requests carry an outId the provider deduplicates on.
      return timedOut
        ? { ok: false, httpStatus: null, error: new ChannelError(SMART_SMS_UPSTREAM.TIMEOUT, `${method} ${path}: no answer within ${timeoutMs} ms`, true) }
        : { ok: false, httpStatus: null, error: new ChannelError(SMART_SMS_UPSTREAM.UNREACHABLE, `${method} ${path}: request failed: ${describe(err)}`, true) };
    }
    let parsed: ProviderEnvelope<T> | undefined;
    try {
      parsed = raw === '' ? undefined : (JSON.parse(raw) as ProviderEnvelope<T>);
    } catch {
      parsed = undefined;
    }
    if (!res.ok || !parsed || parsed.code !== 'OK') {
      if (res.ok && parsed === undefined) {
        return { ok: false, httpStatus: res.status, response: raw.slice(0, 500), error: new ChannelError(SMART_SMS_UPSTREAM.BAD_RESPONSE, `${method} ${path}: HTTP ${res.status} without a JSON answer`, true, res.status) };
      }
      const error = classifyProviderError(res.status, parsed);
      return { ok: false, httpStatus: res.status, error, response: parsed && typeof parsed === 'object' ? (parsed as ProviderErrorBody) : raw.slice(0, 500) };
    }
    const data = (parsed as { data?: T }).data;
    if (!valid(data as Partial<T> | undefined)) {
      // Link requests are deduplicated by outId, so asking again returns the same links.
      return { ok: false, httpStatus: res.status, response: raw.slice(0, 500), error: new ChannelError(SMART_SMS_UPSTREAM.BAD_RESPONSE, `${method} ${path}: HTTP ${res.status} answer lacks the expected data`, true, res.status) };
    }
    return { ok: true, value: data as T };
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
