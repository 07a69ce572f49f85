/**
 * HTTP client of the MMS gateway (mms-gateway-api.ts): submit one message, read status reports.
 * Points at a carrier gateway or the bundled simulator by configuration. Every answer becomes a
 * value or a ChannelError with the gateway's own code and whether trying again can help (a submit
 * retried with the same outId is deduplicated by the gateway, so retrying is safe).
 */
import { ChannelError } from '../channel-adapter.js';
import { signedHeaders } from '../smart-sms/smart-sms-signature.js';
import {
  MMS_GATEWAY_PATHS, type GatewayEnvelope, type ReportsResponse, type SubmitRequest, type SubmitResponse,
} from './mms-gateway-api.js';

export interface MmsGatewayAdapterOptions {
  baseUrl: string | (() => string);
  appKey: string;
  appSecret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Upstream codes of this adapter (the gateway's own code is kept as providerCode). */
export const MMS_UPSTREAM = {
  REFUSED: 'MMS_GATEWAY_REFUSED',
  SIZE: 'MMS_GATEWAY_SIZE_EXCEEDED',
  NUMBER: 'MMS_GATEWAY_NUMBER_REFUSED',
  AUTH: 'MMS_GATEWAY_AUTH_FAILED',
  THROTTLED: 'MMS_GATEWAY_THROTTLED',
  UNAVAILABLE: 'MMS_GATEWAY_UNAVAILABLE',
} as const;

export type GatewayResult<T> = { ok: true; value: T } | { ok: false; error: ChannelError };

/** Maps a gateway answer that is not code "0" to a ChannelError. */
export function classifyGatewayError(httpStatus: number, code: string | undefined, message: string): ChannelError {
  const text = `${code ?? `HTTP ${httpStatus}`}: ${message}`;
  switch (code) {
    case '1006': return new ChannelError(MMS_UPSTREAM.SIZE, text, false, code);
    case '1003': return new ChannelError(MMS_UPSTREAM.NUMBER, text, false, code);
    case '1001': return new ChannelError(MMS_UPSTREAM.AUTH, text, false, code);
    case '1009': return new ChannelError(MMS_UPSTREAM.THROTTLED, text, true, code);
    case '9999': return new ChannelError(MMS_UPSTREAM.UNAVAILABLE, text, true, code);
    default:
      if (code === undefined && (httpStatus >= 500 || httpStatus === 429)) return new ChannelError(MMS_UPSTREAM.UNAVAILABLE, text, true, httpStatus);
      return new ChannelError(MMS_UPSTREAM.REFUSED, text, false, code ?? httpStatus);
  }
}

export class MmsGatewayAdapter {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: MmsGatewayAdapterOptions) {
    this.fetchImpl = opts.fetch ?? fetch;
  }

  submit(req: SubmitRequest): Promise<GatewayResult<SubmitResponse>> {
    return this.post<SubmitResponse>(MMS_GATEWAY_PATHS.submit, req, (d) => typeof d?.msgId === 'string');
  }

  reports(after: number, max = 500): Promise<GatewayResult<ReportsResponse>> {
    return this.post<ReportsResponse>(MMS_GATEWAY_PATHS.reports, { after, max }, (d) => Array.isArray(d?.reports) && typeof d.last === 'number');
  }

  private async post<T>(path: string, payload: unknown, valid: (d: Partial<T> | undefined) => boolean): Promise<GatewayResult<T>> {
    const base = typeof this.opts.baseUrl === 'function' ? this.opts.baseUrl() : this.opts.baseUrl;
    const body = JSON.stringify(payload);
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    let res: Response;
    let raw: string;
    try {
      res = await this.fetchImpl(`${base.replace(/\/+$/, '')}${path}`, {
        method: 'POST',
        headers: { ...signedHeaders(this.opts.appKey, this.opts.appSecret, { method: 'POST', path, body }), 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.text();
    } catch (err) {
      const what = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? `no answer within ${timeoutMs} ms` : `request failed: ${(err as Error).message}`;
      return { ok: false, error: new ChannelError(MMS_UPSTREAM.UNAVAILABLE, `POST ${path}: ${what}`, true) };
    }
    let env: GatewayEnvelope<T> | undefined;
    try {
      env = JSON.parse(raw) as GatewayEnvelope<T>;
    } catch {
      env = undefined;
    }
    if (!env || typeof env.code !== 'string') {
      return { ok: false, error: classifyGatewayError(res.status, undefined, `answer without a gateway envelope: ${raw.slice(0, 200)}`) };
    }
    if (env.code !== '0') return { ok: false, error: classifyGatewayError(res.status, env.code, env.message) };
    const data = (env as { data?: T }).data;
    if (!valid(data as Partial<T>)) return { ok: false, error: new ChannelError(MMS_UPSTREAM.UNAVAILABLE, `POST ${path}: answer lacks the expected data`, true) };
    return { ok: true, value: data as T };
  }
}
