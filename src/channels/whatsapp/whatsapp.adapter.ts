/**
 * HTTP client of the WhatsApp Cloud API send endpoint. Points at Meta (graph.facebook.com) or the
 * bundled simulator by configuration. Every answer becomes a result or a ChannelError carrying the
 * provider's own code and whether trying again can help; nothing the provider said is dropped
 * (the raw error answer is returned alongside).
 */
import { ChannelError } from '../channel-adapter.js';
import { CloudErrorCode, type CloudErrorResponse, type CloudSendRequest, type CloudSendResponse } from './cloud-api-types.js';

export interface WhatsAppAdapterOptions {
  /** e.g. https://graph.facebook.com, or the simulator's URL (a function when known only after start). */
  baseUrl: string | (() => string);
  /** Graph API version path segment, e.g. v21.0. */
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type WhatsAppSendOutcome =
  | { ok: true; providerMessageId: string; waId: string | null; httpStatus: number }
  | { ok: false; error: ChannelError; httpStatus: number | null; response?: CloudErrorResponse['error'] | string };

/** Upstream (ChannelError) codes of this adapter; listed in error-codes.ts UPSTREAM_CODES. */
export const WHATSAPP_UPSTREAM = {
  REJECTED: 'WHATSAPP_API_REJECTED',
  AUTH: 'WHATSAPP_API_AUTH_FAILED',
  THROTTLED: 'WHATSAPP_API_THROTTLED',
  SERVER: 'WHATSAPP_API_SERVER_ERROR',
  TIMEOUT: 'WHATSAPP_API_TIMEOUT',
  UNREACHABLE: 'WHATSAPP_API_UNREACHABLE',
  BAD_RESPONSE: 'WHATSAPP_API_BAD_RESPONSE',
} as const;

const THROTTLE_CODES = new Set<number>([CloudErrorCode.THROUGHPUT_LIMIT, CloudErrorCode.PAIR_RATE_LIMIT, CloudErrorCode.SPAM_RATE_LIMIT, CloudErrorCode.API_TOO_MANY_CALLS, CloudErrorCode.RATE_LIMIT]);
const TRANSIENT_CODES = new Set<number>([CloudErrorCode.UNKNOWN, CloudErrorCode.SERVICE_UNAVAILABLE, CloudErrorCode.SOMETHING_WENT_WRONG, CloudErrorCode.SERVICE_TEMPORARILY_UNAVAILABLE]);
const AUTH_CODES = new Set<number>([CloudErrorCode.TOKEN_INVALID, CloudErrorCode.AUTH_EXCEPTION, 3, 10]);

/**
 * Maps a non-2xx answer to a ChannelError. Meta's `code` decides first (Graph API errors mostly
 * come as HTTP 400 whatever their cause); the HTTP status decides for answers without one.
 */
export function classifyCloudError(httpStatus: number, body: unknown): ChannelError {
  const err = (body as Partial<CloudErrorResponse> | undefined)?.error;
  const code = typeof err?.code === 'number' ? err.code : undefined;
  const text = err ? `${err.message}${err.error_data?.details ? ` (${err.error_data.details})` : ''}` : `HTTP ${httpStatus} without a Graph API error body`;
  const provider = code ?? httpStatus;
  if (code !== undefined) {
    if (THROTTLE_CODES.has(code)) return new ChannelError(WHATSAPP_UPSTREAM.THROTTLED, text, true, code);
    if (TRANSIENT_CODES.has(code)) return new ChannelError(WHATSAPP_UPSTREAM.SERVER, text, true, code);
    if (AUTH_CODES.has(code) || (code >= 200 && code <= 299)) return new ChannelError(WHATSAPP_UPSTREAM.AUTH, text, false, code);
  }
  if (httpStatus === 429) return new ChannelError(WHATSAPP_UPSTREAM.THROTTLED, text, true, provider);
  if (httpStatus >= 500) return new ChannelError(WHATSAPP_UPSTREAM.SERVER, text, true, provider);
  if (httpStatus === 401 || httpStatus === 403) return new ChannelError(WHATSAPP_UPSTREAM.AUTH, text, false, provider);
  return new ChannelError(WHATSAPP_UPSTREAM.REJECTED, text, false, provider);
}

export class WhatsAppCloudAdapter {
  readonly id = 'whatsapp';
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: WhatsAppAdapterOptions) {
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** Never throws for provider or transport failures: they come back as `{ ok: false }`. */
  async send(request: CloudSendRequest): Promise<WhatsAppSendOutcome> {
    const base = typeof this.opts.baseUrl === 'function' ? this.opts.baseUrl() : this.opts.baseUrl;
    const url = `${base.replace(/\/+$/, '')}/${this.opts.apiVersion}/${encodeURIComponent(this.opts.phoneNumberId)}/messages`;
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    let res: Response;
    let raw: string;
    try {
      res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      // A timeout is ambiguous (Meta may have accepted it): retryable, but the caller should know.
      return timedOut
        ? { ok: false, httpStatus: null, error: new ChannelError(WHATSAPP_UPSTREAM.TIMEOUT, `no answer within ${timeoutMs} ms; the message may or may not have been accepted`, true) }
        : { ok: false, httpStatus: null, error: new ChannelError(WHATSAPP_UPSTREAM.UNREACHABLE, `request failed: ${describe(err)}`, true) };
    }
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const error = classifyCloudError(res.status, body);
      return { ok: false, httpStatus: res.status, error, response: (body as CloudErrorResponse | undefined)?.error ?? raw.slice(0, 500) };
    }
    const ok = body as Partial<CloudSendResponse> | undefined;
    const id = ok?.messages?.[0]?.id;
    if (typeof id !== 'string' || id === '') {
      // 2xx without a message id: it may have gone out, so not retryable (a retry could duplicate it).
      return { ok: false, httpStatus: res.status, response: raw.slice(0, 500), error: new ChannelError(WHATSAPP_UPSTREAM.BAD_RESPONSE, `HTTP ${res.status} without messages[0].id`, false, res.status) };
    }
    return { ok: true, providerMessageId: id, waId: ok?.contacts?.[0]?.wa_id ?? null, httpStatus: res.status };
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
