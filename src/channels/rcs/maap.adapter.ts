/**
 * HTTP client of the carrier MaaP (CSP API shape, see maap-api.ts). Points at a carrier or the
 * bundled simulator by configuration. Sends never throw for provider or transport failures: they
 * come back as a ChannelError with the provider's code and whether trying again can help.
 * Capability queries throw (the caller treats a failed query as "unknown", never as an answer).
 */
import { ChannelError } from '../channel-adapter.js';
import {
  MAAP_MAX_CAPABILITY_BATCH, fromTelUri, maapCapabilityResponseSchema, telUri,
  type MaapCapability, type MaapOutboundRequest,
} from './maap-api.js';

export interface MaapAdapterOptions {
  /** e.g. https://maap.carrier.example/bot/v1, or the simulator's URL (a function when known only after start). */
  baseUrl: string | (() => string);
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type MaapSendOutcome = { ok: true; httpStatus: number } | { ok: false; error: ChannelError; httpStatus: number | null };

/** Upstream (ChannelError) codes of this adapter; listed in error-codes.ts UPSTREAM_CODES. */
export const MAAP_UPSTREAM = {
  REJECTED: 'MAAP_API_REJECTED',
  AUTH: 'MAAP_API_AUTH_FAILED',
  THROTTLED: 'MAAP_API_THROTTLED',
  SERVER: 'MAAP_API_SERVER_ERROR',
  TIMEOUT: 'MAAP_API_TIMEOUT',
  UNREACHABLE: 'MAAP_API_UNREACHABLE',
} as const;

export class MaapAdapter {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: MaapAdapterOptions) {
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** Posts one message. */
  async send(chatbotAddress: string, request: MaapOutboundRequest): Promise<MaapSendOutcome> {
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    let res: Response;
    let body: { errorCode?: string; errorMessage?: string } | undefined;
    try {
      res = await this.post(chatbotAddress, 'outbound', request, timeoutMs);
      body = await res.json().catch(() => undefined);
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return timedOut
        ? { ok: false, httpStatus: null, error: new ChannelError(MAAP_UPSTREAM.TIMEOUT, `no answer within ${timeoutMs} ms; the message may or may not have been accepted`, true) }
        : { ok: false, httpStatus: null, error: new ChannelError(MAAP_UPSTREAM.UNREACHABLE, `request failed: ${err instanceof Error ? err.message : String(err)}`, true) };
    }
    if (res.ok) return { ok: true, httpStatus: res.status };
    const text = `${body?.errorCode ?? `HTTP ${res.status}`}: ${body?.errorMessage ?? 'no error message'}`;
    const provider = body?.errorCode ?? res.status;
    const code = res.status === 401 || res.status === 403 ? MAAP_UPSTREAM.AUTH
      : res.status === 429 ? MAAP_UPSTREAM.THROTTLED
        : res.status >= 500 ? MAAP_UPSTREAM.SERVER : MAAP_UPSTREAM.REJECTED;
    return { ok: false, httpStatus: res.status, error: new ChannelError(code, text, code === MAAP_UPSTREAM.THROTTLED || code === MAAP_UPSTREAM.SERVER, provider) };
  }

  /**
   * Capability of at most 100 E.164 numbers in one call.
   * @throws Error on transport trouble or a refused or malformed answer.
   */
  async capabilities(chatbotAddress: string, numbers: readonly string[]): Promise<Map<string, MaapCapability>> {
    if (numbers.length > MAAP_MAX_CAPABILITY_BATCH) throw new Error(`at most ${MAAP_MAX_CAPABILITY_BATCH} numbers per capability query`);
    const res = await this.post(chatbotAddress, 'capabilities', { userContacts: numbers.map(telUri) }, this.opts.timeoutMs ?? 10_000);
    if (!res.ok) throw new Error(`MaaP capability query answered HTTP ${res.status}`);
    const parsed = maapCapabilityResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new Error('MaaP capability answer is malformed');
    return new Map(parsed.data.results.map((r) => [fromTelUri(r.userContact), r.status]));
  }

  private post(chatbotAddress: string, op: 'outbound' | 'capabilities', body: unknown, timeoutMs: number): Promise<Response> {
    const base = typeof this.opts.baseUrl === 'function' ? this.opts.baseUrl() : this.opts.baseUrl;
    return this.fetchImpl(`${base.replace(/\/+$/, '')}/${encodeURIComponent(chatbotAddress)}/${op}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }
}
