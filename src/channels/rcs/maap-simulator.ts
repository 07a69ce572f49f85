/**
 * SIMULATOR — not a carrier. A local HTTP server speaking the MaaP (CSP API) shape of maap-api.ts
 * for tests, the demo and `npm start`: capability queries (≤ 100 numbers a call) and outbound
 * messages, answered by the destination's last digit (maap-simulator-rules.ts), with delivery
 * statuses sent back as signed notifications after a delay; it can also make a user write to a
 * chatbot or tap a suggestion (injectInbound). Any chatbot address is accepted (a real MaaP knows
 * only the chatbots registered with it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { safeEqual } from '../../accounts/api-keys.js';
import type { Logger } from '../../logging/logger.js';
import { signCallback } from '../../receipts/callback-signer.js';
import {
  MAAP_SIGNATURE_HEADER, fromTelUri, maapCapabilityRequestSchema, maapOutboundSchema,
  type MaapNotification, type MaapOutboundRequest, type MaapStatus,
} from './maap-api.js';
import { MAAP_CONTENT_TYPES } from './maap-message.js';
import { parseSimRules, simCapability, simOutcome, simStatuses, DEFAULT_SIM_RULES, type SimOutcome } from './maap-simulator-rules.js';

export interface MaapSimulatorOptions {
  port?: number;
  host?: string;
  token: string;
  /** Key of the notifications' X-Maap-Signature. */
  webhookSecret: string;
  webhookUrl?: string;
  /** `outcome:digits,…` (see maap-simulator-rules.ts). */
  rules?: string;
  /** Delay before the first status and between statuses. Default 200 ms. */
  statusDelayMs?: number;
  webhookRetries?: number;
  logger?: Logger;
}

/** An accepted outbound message, as recorded for tests. */
export interface SimulatedRcsMessage {
  chatbotAddress: string;
  to: string;
  request: MaapOutboundRequest;
  outcome: SimOutcome;
  statuses: MaapStatus[];
  at: Date;
}

export interface MaapSimulatorStats {
  capabilityCalls: number;
  capabilityNumbers: number;
  outbound: number;
  refused: number;
  unauthorized: number;
  webhooksDelivered: number;
  webhooksFailed: number;
}

export interface InjectedInbound {
  chatbotAddress: string;
  /** E.164. */
  from: string;
  text?: string;
  /** A suggestion tap: its postback data and the text shown on it. */
  postback?: { data: string; displayText: string };
  inReplyTo?: string;
}

export interface MaapSimulator {
  readonly port: number;
  readonly url: string;
  readonly messages: SimulatedRcsMessage[];
  readonly stats: MaapSimulatorStats;
  setWebhookUrl(url: string): void;
  /** A user writes to a chatbot or taps a suggestion; resolves once the webhook was answered. */
  injectInbound(m: InjectedInbound): Promise<{ messageId: string; delivered: boolean }>;
  /** Resolves when every scheduled status has been delivered (or given up). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMaapSimulator(opts: MaapSimulatorOptions): Promise<MaapSimulator> {
  const rules = parseSimRules(opts.rules ?? DEFAULT_SIM_RULES);
  const delay = opts.statusDelayMs ?? 200;
  let webhookUrl = opts.webhookUrl;
  const stats: MaapSimulatorStats = { capabilityCalls: 0, capabilityNumbers: 0, outbound: 0, refused: 0, unauthorized: 0, webhooksDelivered: 0, webhooksFailed: 0 };
  const messages: SimulatedRcsMessage[] = [];
  const timers = new Map<NodeJS.Timeout, () => void>();
  const pending = new Set<Promise<unknown>>();
  let stopped = false;

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.set(t, resolve);
  });
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => undefined);
    return p;
  };

  /** Posts notifications, signed, retrying a refused delivery with back-off. */
  async function notify(notifications: MaapNotification[]): Promise<boolean> {
    const body = JSON.stringify({ notifications });
    for (let attempt = 0; attempt <= (opts.webhookRetries ?? 4) && !stopped; attempt++) {
      if (attempt > 0) await sleep(200 * 2 ** (attempt - 1));
      if (!webhookUrl) break;
      try {
        const res = await fetch(webhookUrl, {
          method: 'POST', body, signal: AbortSignal.timeout(5_000),
          headers: { 'content-type': 'application/json', [MAAP_SIGNATURE_HEADER]: signCallback(opts.webhookSecret, body) },
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          stats.webhooksDelivered++;
          return true;
        }
        throw new Error(`webhook answered HTTP ${res.status}`);
      } catch (err) {
        stats.webhooksFailed++;
        opts.logger?.warn('MaaP simulator notification failed', { attempt, err: err instanceof Error ? err.message : String(err) });
      }
    }
    return false;
  }

  function scheduleStatuses(m: SimulatedRcsMessage): void {
    void track((async () => {
      for (const status of m.statuses) {
        await sleep(delay);
        if (stopped) return;
        await notify([{
          type: 'deliveryInfo', chatbotAddress: m.chatbotAddress, messageId: m.request.messageId, address: `tel:${m.to}`, status,
          timestamp: new Date().toISOString(),
          ...(status === 'DeliveryImpossible' ? { errorCode: 'TerminalNotSupported', description: 'The terminal is not RCS-capable (simulator)' } : {}),
        }]);
      }
    })());
  }

  const answer = (res: ServerResponse, status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const refuse = (res: ServerResponse, status: number, errorCode: string, errorMessage: string) => {
    stats.refused++;
    answer(res, status, { errorCode, errorMessage });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const route = /^\/([^/]+)\/(outbound|capabilities)$/.exec(path);
    if (req.method !== 'POST' || !route) return answer(res, 404, { errorCode: 'NotFound', errorMessage: `${req.method} ${path}` });
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !safeEqual(auth.slice(7), opts.token)) {
      stats.unauthorized++;
      return answer(res, 401, { errorCode: 'Unauthorized', errorMessage: 'bearer token missing or wrong' });
    }
    const chatbotAddress = decodeURIComponent(route[1]);
    let body: unknown;
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(res, 400, 'InvalidRequest', 'body is not JSON');
    }
    if (route[2] === 'capabilities') {
      const parsed = maapCapabilityRequestSchema.safeParse(body);
      if (!parsed.success) return refuse(res, 400, 'InvalidRequest', `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
      stats.capabilityCalls++;
      stats.capabilityNumbers += parsed.data.userContacts.length;
      const results = parsed.data.userContacts.map((userContact) => {
        const n = fromTelUri(userContact);
        return { userContact, status: /^\+\d{6,15}$/.test(n) ? simCapability(simOutcome(rules, n)) : 'Invalid' };
      });
      return answer(res, 200, { results });
    }
    const parsed = maapOutboundSchema.safeParse(body);
    if (!parsed.success) return refuse(res, 400, 'InvalidRequest', `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    const request = parsed.data as MaapOutboundRequest;
    const to = fromTelUri(request.destinationAddress[0]);
    const outcome = simOutcome(rules, to);
    if (outcome === 'invalid') return refuse(res, 400, 'InvalidDestination', 'The destination is not a valid user address (simulator: invalid digit)');
    const m: SimulatedRcsMessage = { chatbotAddress, to, request, outcome, statuses: simStatuses(outcome, request.smsSupported), at: new Date() };
    messages.push(m);
    stats.outbound++;
    scheduleStatuses(m);
    answer(res, 201, { messageId: request.messageId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.logger?.error('MaaP simulator request failed', { err: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) answer(res, 500, { errorCode: 'InternalError', errorMessage: 'simulator error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`,
    messages,
    stats,
    setWebhookUrl: (url) => void (webhookUrl = url),
    async injectInbound(m) {
      const messageId = randomUUID();
      const base = { type: 'inboundMessage' as const, chatbotAddress: m.chatbotAddress, messageId, senderAddress: `tel:${m.from}`, timestamp: new Date().toISOString(), ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}) };
      const notification: MaapNotification = m.postback
        ? { ...base, contentType: MAAP_CONTENT_TYPES.suggestionResponse, contentText: { response: { reply: { displayText: m.postback.displayText, postback: { data: m.postback.data } } } } }
        : { ...base, contentType: MAAP_CONTENT_TYPES.text, contentText: m.text ?? '' };
      return { messageId, delivered: await track(notify([notification])) };
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async stop() {
      stopped = true;
      for (const [t, wake] of timers) {
        clearTimeout(t);
        wake();
      }
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
