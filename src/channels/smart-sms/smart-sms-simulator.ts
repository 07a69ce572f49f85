/**
 * SIMULATOR — not a smart-SMS provider. A local HTTP server speaking the parse platform's API
 * (smart-sms-api.ts, signature checked like a provider) for tests, the demo and `npm start`.
 * Templates are approved after a delay (titles containing REJECT are rejected); handsets parse or
 * not by the number's last digit (simulator-handsets.ts); reports are aggregate counts
 * (simulator-state.ts). It also serves the links it issues: `GET /p/<code>` redirects (302) to the
 * number's H5 page (`customUrl`), which is what a handset that did not render the card opens, so a
 * click works end to end on a laptop.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import {
  PROVIDER_ERRORS, batchReportRequestSchema, dailyReportRequestSchema, linkRequestSchema, registerTemplateSchema, supportRequestSchema,
  MAX_REPORT_DAYS, type ProviderErrorCode,
} from './smart-sms-api.js';
import { NonceMemory, verifySignature } from './smart-sms-signature.js';
import { DEFAULT_CAPABLE_DIGITS, handsetOf, parseCapableDigits } from './simulator-handsets.js';
import { SimulatorState } from './simulator-state.js';

export interface SmartSmsSimulatorOptions {
  port?: number;
  host?: string;
  /** Host name the simulator's own links use (default: host, or 127.0.0.1 when host is 0.0.0.0). */
  advertisedHost?: string;
  appKey: string;
  appSecret: string;
  /** Registered link domains; the simulator's own `host:port` is always one of them. */
  domains?: readonly string[];
  linkScheme?: 'http' | 'https';
  /** Time until a template's review completes. Default 1000 ms. */
  reviewDelayMs?: number;
  /** Time until sent numbers show in reports (real providers: 2–3 h). Default 0. */
  reportDelayMs?: number;
  /** Last digits of parse-capable handsets. Default "012345". */
  capableDigits?: string;
  /** What makes a number count as sent (see simulator-state.ts). Default `issue`. */
  countOn?: 'issue' | 'receive';
  logger?: Logger;
}

export interface SmartSmsSimulatorStats {
  requests: number;
  unauthorized: number;
  rejected: number;
  linkCalls: number;
  linksIssued: number;
  supportQueries: number;
  reportQueries: number;
  redirects: number;
}

export interface SmartSmsSimulator {
  readonly port: number;
  /** API base URL, e.g. http://127.0.0.1:2781. */
  readonly url: string;
  /** The simulator's own registered domain (`host:port`): its links are clickable. */
  readonly domain: string;
  readonly stats: SmartSmsSimulatorStats;
  /** The simulated network delivered these SMS (counted in `countOn: 'receive'` mode). */
  receive(items: ReadonlyArray<string | { link: string; mobile?: string }>): { received: number; unknown: number };
  /** Fault injection: the next `count` API calls answer this error (after the signature check). */
  failNext(count: number, error: { code: ProviderErrorCode; message?: string }): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DAY_MS = 86_400_000;

class HttpFailure extends Error {
  constructor(readonly code: ProviderErrorCode, message: string) {
    super(message);
  }
}

export async function startSmartSmsSimulator(opts: SmartSmsSimulatorOptions): Promise<SmartSmsSimulator> {
  const capableDigits = parseCapableDigits(opts.capableDigits ?? DEFAULT_CAPABLE_DIGITS);
  const scheme = opts.linkScheme ?? 'http';
  const state = new SimulatorState({
    reviewDelayMs: opts.reviewDelayMs ?? 1000, reportDelayMs: opts.reportDelayMs ?? 0, capableDigits,
    countOn: opts.countOn ?? 'issue', linkOrigin: (domain) => `${scheme}://${domain}`,
  });
  const domains = new Set((opts.domains ?? []).map((d) => d.toLowerCase()));
  const nonces = new NonceMemory();
  const stats: SmartSmsSimulatorStats = { requests: 0, unauthorized: 0, rejected: 0, linkCalls: 0, linksIssued: 0, supportQueries: 0, reportQueries: 0, redirects: 0 };
  let faults: { count: number; code: ProviderErrorCode; message: string } | undefined;

  const send = (res: ServerResponse, status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const requestId = () => randomBytes(8).toString('hex').toUpperCase();
  const ok = (res: ServerResponse, data: unknown): void => send(res, 200, { code: 'OK', message: 'success', requestId: requestId(), data });
  const fail = (res: ServerResponse, code: ProviderErrorCode, message: string): void => send(res, PROVIDER_ERRORS[code], { code, message, requestId: requestId() });

  function parse<S extends z.ZodType>(schema: S, body: string): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new HttpFailure('InvalidParameter', 'body: not JSON');
    }
    const r = schema.safeParse(json);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const path = issue.path.join('.');
    if (/^(recipients\.\d+\.mobile|mobiles\.\d+)$/.test(path)) throw new HttpFailure('InvalidMobile', `${path}: ${issue.message}`);
    if (/^(recipients|mobiles)$/.test(path) && issue.code === 'too_big') throw new HttpFailure('TooManyMobiles', `${path}: at most 10000 numbers per call`);
    throw new HttpFailure('InvalidParameter', `${path || 'body'}: ${issue.message}`);
  }

  function checkDomain(domain: string) {
    if (!domains.has(domain.toLowerCase())) throw new HttpFailure('DomainNotRegistered', `domain ${domain} is not registered for this app key`);
  }

  function api(method: string, path: string, body: string, appKey: string): unknown {
    if (method === 'POST' && path === '/api/v1/templates') {
      const req = parse(registerTemplateSchema, body);
      checkDomain(req.domain);
      return state.registerTemplate(req);
    }
    const tpl = /^\/api\/v1\/templates\/([^/]+)$/.exec(path);
    if (method === 'GET' && tpl) {
      const t = state.template(decodeURIComponent(tpl[1]));
      if (!t) throw new HttpFailure('TemplateNotFound', `template ${tpl[1]} does not exist`);
      return t;
    }
    if (method === 'POST' && path === '/api/v1/links') {
      const req = parse(linkRequestSchema, body);
      stats.linkCalls++;
      const again = state.previousLinks(appKey, req.outId);
      if (again) return again;
      const t = state.template(req.templateId);
      if (!t) throw new HttpFailure('TemplateNotFound', `template ${req.templateId} does not exist`);
      if (t.status !== 'approved') throw new HttpFailure('TemplateNotApproved', `template ${req.templateId} is ${t.status}${t.reason ? `: ${t.reason}` : ''}; links are issued for approved templates only`);
      checkDomain(req.domain);
      const answer = state.issueLinks(appKey, req);
      stats.linksIssued += req.type === 'bulk' ? 1 : req.recipients.length;
      return answer;
    }
    if (method === 'POST' && path === '/api/v1/support') {
      const req = parse(supportRequestSchema, body);
      if (req.templateId && !state.template(req.templateId)) throw new HttpFailure('TemplateNotFound', `template ${req.templateId} does not exist`);
      stats.supportQueries++;
      return { results: req.mobiles.map((mobile) => ({ mobile, supported: handsetOf(mobile, capableDigits).capable, vendor: handsetOf(mobile, capableDigits).vendor })) };
    }
    if (method === 'POST' && path === '/api/v1/reports/batches') {
      const req = parse(batchReportRequestSchema, body);
      stats.reportQueries++;
      const reports = [];
      const unknownBatchIds = [];
      for (const id of req.batchIds) {
        const r = state.batchReport(id);
        if (r) reports.push(r);
        else unknownBatchIds.push(id);
      }
      return { asOf: new Date().toISOString(), reports, unknownBatchIds };
    }
    if (method === 'POST' && path === '/api/v1/reports/daily') {
      const req = parse(dailyReportRequestSchema, body);
      if ((Date.parse(req.to) - Date.parse(req.from)) / DAY_MS >= MAX_REPORT_DAYS) throw new HttpFailure('InvalidParameter', `to: at most ${MAX_REPORT_DAYS} days from from`);
      stats.reportQueries++;
      return { asOf: new Date().toISOString(), reports: state.dailyReport(req.templateIds, req.from, req.to) };
    }
    throw new HttpFailure('NotFound', `no API ${method} ${path}`);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new HttpFailure('InvalidParameter', `body: larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const link = /^\/p\/([0-9A-Za-z]+)$/.exec(url.pathname);
    if (link && (method === 'GET' || method === 'HEAD')) {
      const page = state.landingPage(link[1]);
      if (!page) return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('This link does not exist (smart-SMS simulator).');
      stats.redirects++;
      return void res.writeHead(302, { location: page, 'cache-control': 'no-store' }).end();
    }
    if (method === 'POST' && url.pathname === '/sim/handsets/receive') {
      const body = JSON.parse(await readBody(req)) as { links?: Array<string | { link: string; mobile?: string }> };
      if (!Array.isArray(body.links)) return fail(res, 'InvalidParameter', 'links: an array of issued links');
      return ok(res, simulator.receive(body.links));
    }
    if (!url.pathname.startsWith('/api/')) return fail(res, 'NotFound', `no route ${method} ${url.pathname}`);
    stats.requests++;
    const body = await readBody(req);
    const path = url.pathname + url.search;
    const check = verifySignature(req.headers, { method, path, body }, (key) => (key === opts.appKey ? opts.appSecret : undefined));
    if (!check.ok) {
      stats.unauthorized++;
      return fail(res, check.code, check.message);
    }
    if (!nonces.take(`${check.appKey}:${check.nonce}`)) {
      stats.unauthorized++;
      return fail(res, 'NonceReused', 'x-nonce was already used; sign every request with a new nonce');
    }
    if (faults && faults.count > 0) {
      faults.count--;
      return fail(res, faults.code, faults.message);
    }
    return ok(res, api(method, url.pathname, body, check.appKey));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end();
      if (err instanceof HttpFailure) {
        stats.rejected++;
        return fail(res, err.code, err.message);
      }
      if (err instanceof SyntaxError) return fail(res, 'InvalidParameter', 'body: not JSON');
      opts.logger?.error('smart-SMS simulator request failed', { err });
      fail(res, 'InternalError', 'simulator error');
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const advertised = opts.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const ownDomain = `${advertised}:${port}`;
  domains.add(ownDomain.toLowerCase());
  opts.logger?.info('smart-SMS parse platform SIMULATOR listening (not a real provider)', { port, domain: ownDomain, capableDigits, countOn: opts.countOn ?? 'issue' });

  const simulator: SmartSmsSimulator = {
    port,
    url: `http://${advertised}:${port}`,
    domain: ownDomain,
    stats,
    receive: (items) => state.receive(items.map((i) => (typeof i === 'string' ? { link: i } : i))),
    failNext(count, error) {
      faults = { count, code: error.code, message: error.message ?? `injected ${error.code} (simulator)` };
    },
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  return simulator;
}
