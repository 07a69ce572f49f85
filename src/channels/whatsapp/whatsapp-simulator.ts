/**
 * SIMULATOR — not WhatsApp. A local HTTP server speaking the Cloud API's send shape
 * (`POST /{version}/{phone_number_id}/messages`, bearer token checked) for tests, the demo and
 * `npm start`. Outcomes follow the destination's last digit (simulator-rules.ts); statuses go back
 * as signed webhooks after a delay, in order or shuffled (Meta guarantees no order), and it
 * enforces Meta's throughput (130429), pair-rate (131056) and 24 h window (131047) rules.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { safeEqual } from '../../accounts/api-keys.js';
import type { Logger } from '../../logging/logger.js';
import { CloudErrorCode, cloudSendRequestSchema, type CloudErrorResponse, type CloudSendRequest, type CloudSendResponse } from './cloud-api-types.js';
import { PairRateLimit, ThroughputLimit, seededRandom, simOutcome, statusesFor, type SimOutcome } from './simulator-rules.js';
import { WebhookSender, type WebhookSenderStats } from './simulator-webhooks.js';

export interface WhatsAppSimulatorOptions {
  port?: number;
  host?: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /** Where webhooks go; settable later (setWebhookUrl) when the receiver's port is not known yet. */
  webhookUrl?: string;
  /** Delay before the first status and between statuses. Default 200 ms. */
  statusDelayMs?: number;
  /** `shuffled`: each message's statuses leave in a random (seeded) order. Default in-order. */
  order?: 'in-order' | 'shuffled';
  seed?: number;
  /** Per business number per second (Meta: 80); 0 = no limit. */
  maxPerSecond?: number;
  /** Minimum gap between messages to one user (Meta: ~6 s); 0 = no limit. */
  pairIntervalMs?: number;
  /** Refuse free-form messages to users who wrote nothing in 24 h (131047). Default true. */
  enforceWindow?: boolean;
  webhookRetries?: number;
  webhookRetryDelayMs?: number;
  logger?: Logger;
}

/** An accepted request, as recorded for tests. */
export interface SimulatedWhatsAppMessage {
  id: string;
  to: string;
  type: CloudSendRequest['type'];
  request: CloudSendRequest;
  outcome: SimOutcome;
  at: Date;
  /** The order the simulator sends this message's statuses in (shuffled when asked). */
  statusOrder?: string[];
}

export interface WhatsAppSimulatorStats extends WebhookSenderStats {
  requests: number;
  accepted: number;
  rejected: number;
  unauthorized: number;
  throttled: number;
  pairLimited: number;
  inbound: number;
}

export interface WhatsAppSimulator {
  readonly port: number;
  /** Base URL of the API, e.g. http://127.0.0.1:2780 (the adapter appends /{version}/{id}/messages). */
  readonly url: string;
  readonly messages: SimulatedWhatsAppMessage[];
  readonly stats: WhatsAppSimulatorStats;
  setWebhookUrl(url: string): void;
  /** A user writes to the business: opens the 24 h window and sends the inbound webhook. */
  injectInbound(m: { from: string; text: string; contextId?: string; profileName?: string }): Promise<{ id: string; delivered: boolean }>;
  /** Resolves when every scheduled status has been delivered (or given up). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const WINDOW_MS = 24 * 3_600_000;

/** Fisher–Yates with the simulator's seeded random. */
function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
const wamid = () => 'wamid.' + randomBytes(18).toString('base64url');
const unix = (ms: number) => String(Math.floor(ms / 1000));

function graphError(code: number, message: string, details: string, type = 'OAuthException'): CloudErrorResponse {
  return { error: { message: `(#${code}) ${message}`, type, code, error_data: { messaging_product: 'whatsapp', details }, fbtrace_id: 'Sim' + randomBytes(8).toString('hex') } };
}

export async function startWhatsAppSimulator(opts: WhatsAppSimulatorOptions): Promise<WhatsAppSimulator> {
  const webhooks = new WebhookSender({ appSecret: opts.appSecret, verifyToken: opts.verifyToken, url: opts.webhookUrl, retries: opts.webhookRetries, retryDelayMs: opts.webhookRetryDelayMs, logger: opts.logger });
  const counters = { requests: 0, accepted: 0, rejected: 0, unauthorized: 0, throttled: 0, pairLimited: 0, inbound: 0 };
  const messages: SimulatedWhatsAppMessage[] = [];
  const throughput = new ThroughputLimit(opts.maxPerSecond ?? 80);
  const pairs = new PairRateLimit(opts.pairIntervalMs ?? 6_000);
  const random = seededRandom(opts.seed ?? 1);
  const lastInbound = new Map<string, number>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  const scheduled = new Set<Promise<unknown>>();
  const delay = opts.statusDelayMs ?? 200;
  const metadata = { display_phone_number: opts.displayPhoneNumber ?? '15550000000', phone_number_id: opts.phoneNumberId };
  const envelope = (value: Record<string, unknown>) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA-SIMULATOR', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata, ...value } }] }],
  });

  function later(ms: number, fn: () => Promise<unknown>): void {
    const p = new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        void fn().finally(resolve);
      }, ms);
      timers.set(t, resolve);
    });
    scheduled.add(p);
    void p.finally(() => scheduled.delete(p));
  }

  function scheduleStatuses(m: SimulatedWhatsAppMessage, statuses: Array<'sent' | 'delivered' | 'read' | 'failed'>, error?: { code: number; title: string; details: string }) {
    const base = Date.now();
    const items = statuses.map((status, i) => ({ status, at: base + (i + 1) * delay }));
    // Shuffled: the same send times, handed out to the statuses in a random order.
    const order = opts.order === 'shuffled' ? shuffle(items, random) : items;
    m.statusOrder = order.map((item) => item.status);
    let chain: Promise<unknown> = Promise.resolve();
    order.forEach((item, i) => later((i + 1) * delay, () => (chain = chain.then(() => webhooks.send(envelope({
      statuses: [{
        id: m.id, status: item.status, timestamp: unix(item.at), recipient_id: m.to,
        ...(m.request.biz_opaque_callback_data ? { biz_opaque_callback_data: m.request.biz_opaque_callback_data } : {}),
        ...(item.status === 'failed' && error ? { errors: [{ code: error.code, title: error.title, message: error.title, error_data: { details: error.details } }] } : {}),
      }],
    }))))));
  }

  function answer(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const route = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(path);
    if (req.method !== 'POST' || !route) return answer(res, 404, graphError(CloudErrorCode.INVALID_PARAMETER, 'Unknown path components', `${req.method} ${path}`));
    counters.requests++;
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !safeEqual(auth.slice(7), opts.accessToken)) {
      counters.unauthorized++;
      return answer(res, 401, graphError(CloudErrorCode.TOKEN_INVALID, 'Invalid OAuth access token - Cannot parse access token', 'bearer token missing or wrong'));
    }
    if (route[2] !== opts.phoneNumberId) {
      counters.rejected++;
      return answer(res, 400, graphError(CloudErrorCode.INVALID_PARAMETER, 'Unsupported post request', `Object with ID '${route[2]}' does not exist`, 'GraphMethodException'));
    }
    let body: unknown;
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      counters.rejected++;
      return answer(res, 400, graphError(CloudErrorCode.INVALID_PARAMETER, 'Invalid parameter', 'request body is not JSON'));
    }
    const parsed = cloudSendRequestSchema.safeParse(body);
    if (!parsed.success) {
      counters.rejected++;
      const i = parsed.error.issues[0];
      return answer(res, 400, graphError(CloudErrorCode.INVALID_PARAMETER, 'Invalid parameter', `${i.path.join('.')}: ${i.message}`));
    }
    const request = parsed.data;
    const to = request.to.replace(/^\+/, '');
    const outcome = simOutcome(to);
    if (outcome === 'rejected') {
      counters.rejected++;
      return answer(res, 400, graphError(CloudErrorCode.PARAMETER_INVALID, 'Parameter value is not valid', 'Recipient phone number is not valid (simulator: last digit 9)'));
    }
    if (!throughput.take()) {
      counters.throttled++;
      return answer(res, 400, graphError(CloudErrorCode.THROUGHPUT_LIMIT, 'Rate limit hit', 'Message failed to send because there were too many messages sent from this phone number in a short period of time'));
    }
    if (!pairs.take(to)) {
      counters.pairLimited++;
      return answer(res, 400, graphError(CloudErrorCode.PAIR_RATE_LIMIT, '(Business Account, Consumer Account) pair rate limit hit', 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time'));
    }
    const m: SimulatedWhatsAppMessage = { id: wamid(), to, type: request.type, request, outcome, at: new Date() };
    messages.push(m);
    counters.accepted++;
    const inWindow = (lastInbound.get(to) ?? -Infinity) > Date.now() - WINDOW_MS;
    if (outcome === 'not_on_whatsapp') {
      scheduleStatuses(m, ['failed'], { code: CloudErrorCode.UNDELIVERABLE, title: 'Message undeliverable', details: 'The recipient is not a WhatsApp user (simulator: last digit 8)' });
    } else if (request.type !== 'template' && opts.enforceWindow !== false && !inWindow) {
      scheduleStatuses(m, ['failed'], { code: CloudErrorCode.REENGAGEMENT_REQUIRED, title: 'Re-engagement message', details: 'More than 24 hours have passed since the recipient last replied to the sender number' });
    } else {
      scheduleStatuses(m, statusesFor(outcome));
    }
    const ok: CloudSendResponse = { messaging_product: 'whatsapp', contacts: [{ input: request.to, wa_id: to }], messages: [{ id: m.id }] };
    answer(res, 200, ok);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.logger?.error('whatsapp simulator request failed', { err: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) answer(res, 500, graphError(CloudErrorCode.SOMETHING_WENT_WRONG, 'Something went wrong', 'simulator error', 'OAuthException'));
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
    get stats() {
      return { ...counters, ...webhooks.stats };
    },
    setWebhookUrl: (url) => webhooks.setUrl(url),
    async injectInbound(input) {
      const from = input.from.replace(/\D/g, '');
      const id = wamid();
      const now = Date.now();
      lastInbound.set(from, now);
      counters.inbound++;
      const delivered = await webhooks.send(envelope({
        contacts: [{ profile: { name: input.profileName ?? 'Simulated user' }, wa_id: from }],
        messages: [{ from, id, timestamp: unix(now), type: 'text', text: { body: input.text }, ...(input.contextId ? { context: { from: metadata.display_phone_number, id: input.contextId } } : {}) }],
      }));
      return { id, delivered };
    },
    async idle() {
      while (scheduled.size) await Promise.allSettled([...scheduled]);
      await webhooks.idle();
    },
    async stop() {
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
      webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
