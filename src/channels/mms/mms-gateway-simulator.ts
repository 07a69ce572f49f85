/**
 * SIMULATOR — not a carrier gateway. A local HTTP server speaking the MMS gateway API
 * (mms-gateway-api.ts, requests signed and checked as a gateway would) for tests, the demo and
 * `npm start`. It counts each message as the carrier does (mms-size.ts) and refuses one over its
 * product's limit with the carrier's 1006; outcomes by the number's last digit
 * (mms-simulator-rules.ts); status reports after a delay, read with POST /mms/v1/reports.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logging/logger.js';
import { NonceMemory, verifySignature } from '../smart-sms/smart-sms-signature.js';
import {
  MMS_GATEWAY_ERRORS, MMS_GATEWAY_PATHS, reportsRequestSchema, submitRequestSchema,
  type GatewayReport, type MmsGatewayErrorCode, type SubmitRequest,
} from './mms-gateway-api.js';
import { MMS_PROFILES, PROFILE_OF_PRODUCT, type MmsGatewayProduct } from './mms-profiles.js';
import { mmsMessageSize, utf8Bytes } from './mms-size.js';
import { DEFAULT_SIMULATOR_RULES, outcomeOf, type SimulatorRules } from './mms-simulator-rules.js';

export interface MmsGatewaySimulatorOptions {
  port?: number;
  host?: string;
  appKey: string;
  appSecret: string;
  /** Delay before a status report is readable. Default 100 ms. */
  reportDelayMs?: number;
  rules?: Partial<Omit<SimulatorRules, 'maxBytes'>> & { maxBytes?: Partial<SimulatorRules['maxBytes']> };
  logger?: Logger;
}

/** A message the simulated carrier took, as it received it. */
export interface ReceivedMms {
  msgId: string;
  outId: string;
  mobile: string;
  product: MmsGatewayProduct;
  subject: string;
  size: number;
  smil: string;
  parts: Array<{ name: string; contentType: string; size: number; bytes: Buffer }>;
}

export interface MmsGatewaySimulator {
  readonly port: number;
  readonly url: string;
  /** The last 200 messages taken (tests read what "arrived"). */
  readonly received: ReceivedMms[];
  readonly stats: { submits: number; refused: number; reportReads: number };
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const KEEP_REPORTS = 100_000;

class GatewayFailure extends Error {
  constructor(readonly code: MmsGatewayErrorCode, message: string) {
    super(message);
  }
}

export async function startMmsGatewaySimulator(opts: MmsGatewaySimulatorOptions): Promise<MmsGatewaySimulator> {
  const rules: SimulatorRules = {
    ...DEFAULT_SIMULATOR_RULES, ...opts.rules,
    maxBytes: { ...DEFAULT_SIMULATOR_RULES.maxBytes, ...opts.rules?.maxBytes },
  };
  const nonces = new NonceMemory();
  const byOutId = new Map<string, { msgId: string; size: number }>();
  const reports: GatewayReport[] = [];
  let seq = 0;
  const received: ReceivedMms[] = [];
  const stats = { submits: 0, refused: 0, reportReads: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const fail = (res: ServerResponse, code: MmsGatewayErrorCode, message: string) => send(res, MMS_GATEWAY_ERRORS[code].http, { code, message });

  function report(r: Omit<GatewayReport, 'seq' | 'doneTime'>) {
    const t = setTimeout(() => {
      timers.delete(t);
      reports.push({ ...r, seq: ++seq, doneTime: new Date().toISOString() });
      if (reports.length > KEEP_REPORTS) reports.splice(0, reports.length - KEEP_REPORTS);
    }, opts.reportDelayMs ?? 100);
    timers.add(t);
  }

  function submit(req: SubmitRequest, appKey: string) {
    stats.submits++;
    const again = byOutId.get(`${appKey}:${req.outId}`);
    if (again) return again;
    const profile = MMS_PROFILES[PROFILE_OF_PRODUCT[req.product]];
    const parts = req.parts.map((p) => ({ name: p.name, contentType: p.contentType, bytes: Buffer.from(p.content, 'base64') }));
    const size = mmsMessageSize({ subject: req.subject, smilBytes: utf8Bytes(req.smil), parts: parts.map((p) => ({ size: p.bytes.length })) });
    const limit = rules.maxBytes[req.product];
    if (size > limit) throw new GatewayFailure('1006', `message size ${size} bytes exceeds ${limit} bytes for product ${req.product}`);
    const frames = new Set(parts.filter((p) => p.contentType.startsWith('text/')).map((p) => p.name)).size;
    if (frames > profile.maxSlides) throw new GatewayFailure('1007', `${frames} frames; product ${req.product} takes at most ${profile.maxSlides}`);
    const types = [...profile.imageTypes, ...profile.videoTypes, ...profile.audioTypes, 'text/plain'];
    const bad = parts.find((p) => !types.includes(p.contentType.split(';')[0].trim() as never));
    if (bad) throw new GatewayFailure('1008', `part ${bad.name}: ${bad.contentType} is not supported by product ${req.product}`);
    const outcome = outcomeOf(req.mobile, rules);
    if (outcome === 'refused') throw new GatewayFailure('1003', 'number refused: on the carrier blacklist');
    const msgId = `${Date.now().toString(36)}${randomBytes(6).toString('hex')}`.toUpperCase();
    byOutId.set(`${appKey}:${req.outId}`, { msgId, size });
    received.push({ msgId, outId: req.outId, mobile: req.mobile, product: req.product, subject: req.subject, size, smil: req.smil, parts: parts.map((p) => ({ ...p, size: p.bytes.length })) });
    if (received.length > 200) received.shift();
    if (outcome === 'delivered') report({ msgId, outId: req.outId, mobile: req.mobile, status: 'DELIVRD', errCode: '000' });
    if (outcome === 'undeliverable') report({ msgId, outId: req.outId, mobile: req.mobile, status: 'UNDELIV', errCode: '006' });
    return { msgId, size };
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new GatewayFailure('1002', `body larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, body: string): T {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new GatewayFailure('1002', 'body: not JSON');
    }
    const r = schema.safeParse(json);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const path = issue.path.map(String).join('.');
    throw new GatewayFailure(path === 'mobile' ? '1003' : '1002', `${path || 'body'}: ${issue.message}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const check = verifySignature(req.headers, { method, path: url.pathname + url.search, body }, (k) => (k === opts.appKey ? opts.appSecret : undefined));
    if (!check.ok) return fail(res, '1001', `${check.code}: ${check.message}`);
    if (!nonces.take(`${check.appKey}:${check.nonce}`)) return fail(res, '1001', 'x-nonce was already used');
    if (method === 'POST' && url.pathname === MMS_GATEWAY_PATHS.submit) {
      return send(res, 200, { code: '0', message: 'success', data: submit(parse(submitRequestSchema, body), check.appKey) });
    }
    if (method === 'POST' && url.pathname === MMS_GATEWAY_PATHS.reports) {
      const q = parse(reportsRequestSchema, body);
      stats.reportReads++;
      const out = reports.filter((r) => r.seq > q.after).slice(0, q.max);
      return send(res, 200, { code: '0', message: 'success', data: { reports: out, last: out.at(-1)?.seq ?? q.after } });
    }
    return fail(res, '1002', `no API ${method} ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end();
      if (err instanceof GatewayFailure) {
        stats.refused++;
        return fail(res, err.code, err.message);
      }
      opts.logger?.error('MMS gateway simulator request failed', { err });
      fail(res, '9999', 'simulator error');
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const advertised = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  opts.logger?.info('MMS gateway SIMULATOR listening (not a carrier)', { port, rules });
  return {
    port,
    url: `http://${advertised}:${port}`,
    received,
    stats,
    stop: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
