/**
 * The demo talks to the platform the way a customer and an operator would: over its HTTP API
 * (admin key for set-up, the account's key for verifications and reports).
 */
import type { BackfillReport } from '../verify/backfill-report.js';

export class DemoApiError extends Error {
  constructor(readonly status: number, readonly body: unknown, what: string) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

export class DemoApi {
  constructor(readonly baseUrl: string, private readonly adminKey: string) {}

  async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, this.adminKey, body);
  }

  async call<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new DemoApiError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  startVerification(key: string, to: string, locale: string, ttlSeconds: number): Promise<{ id: string }> {
    return this.call('POST', '/v1/verifications', key, { to, channels: ['sms'], codeLength: 6, ttlSeconds, locale });
  }

  async check(key: string, id: string, code: string): Promise<string> {
    return (await this.call<{ status: string }>('POST', `/v1/verifications/${id}/check`, key, { code })).status;
  }

  backfill(key: string, query: string): Promise<BackfillReport> {
    return this.call('GET', `/v1/reports/backfill?${query}`, key);
  }
}
