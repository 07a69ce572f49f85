/**
 * The accept use case behind POST /v1/messages and /v1/messages/batch:
 * prepare each request (window, numbers, content rules) → policy checks in Redis, one round trip
 * per account and category → one SQL statement per account that debits the balance and stores
 * accepted and refused messages (with their reports) → route and enqueue.
 *
 * It takes several requests at once so concurrent single sends share their round trips (see
 * accept-coalescer.ts). Input errors come back per recipient and store nothing; policy refusals
 * become failed messages reported like any other.
 */
import type { Account, Category } from '../accounts/account.js';
import type { Db } from '../db/db-client.js';
import { AppError } from '../http/app-error.js';
import type { PortabilityLookup, ProvinceLookup } from '../numbers/china-carrier.js';
import type { StatusReportPayload } from '../receipts/status-report.js';
import type { ContentContext } from './compose-content.js';
import type { NewMessage } from './message.js';
import { persistAccepted, type AcceptWrite } from './accept.repository.js';
import { runPolicyGate, type PolicyGateDeps } from './policy-gate.js';
import type { Dispatcher } from './dispatcher.js';
import type { HandoffMarkers } from '../queues/handoff-markers.js';
import type { Logger } from '../logging/logger.js';
import { prepareRequest, type PreparedRequest } from './prepare-accept.js';
import type { SenderLookup } from '../senders/sender-directory.js';

export interface Recipient {
  to: string;
  /** A message id reserved by the caller (SMPP answers parts of a long message before it is whole). */
  id?: string;
  variables?: Record<string, unknown>;
  reference?: string;
  /** This recipient's own callback URL (a fallback step's `chain://…`); default the request's. */
  callbackUrl?: string;
}

export interface AcceptRequest {
  account: Account;
  category: Category;
  recipients: Recipient[];
  content: Omit<ContentContext, 'account' | 'category' | 'international'>;
  templateId: string | null;
  scheduledAt: Date | null;
  callbackUrl: string | null;
  batch: boolean;
  /** Requested sender ID of international messages (checked per country; domestic ones ignore it). */
  senderId?: string | null;
  /** Stores the answer under this Idempotency-Key in the same statement as the messages. */
  idempotency?: { key: string; answer: (result: AcceptResult) => unknown };
}

export interface AcceptedMessage {
  index: number;
  id: string;
  to: string;
  status: NewMessage['status'];
  parts: number;
  encoding: NewMessage['encoding'];
  errorCode: string | null;
  errorMessage: string | null;
  scheduledAt: string | null;
}

export interface RejectedRecipient {
  index: number;
  to: string;
  code: string;
  field: string;
  message: string;
}

export interface AcceptResult {
  batchId: string | null;
  messages: AcceptedMessage[];
  rejected: RejectedRecipient[];
  costMillis: number;
}

export interface AcceptDeps extends PolicyGateDeps {
  db: Db;
  portability: PortabilityLookup;
  handoffs: HandoffMarkers;
  logger?: Logger;
  /** Number → province, for per-account province blocking (no data ships; see README). */
  provinces?: ProvinceLookup;
  dispatcher: Dispatcher;
  /** Chooses international senders (country rules, approved registrations); absent: as requested. */
  senders?: SenderLookup;
  now?: () => Date;
}

export async function acceptMessages(deps: AcceptDeps, req: AcceptRequest): Promise<AcceptResult> {
  const [out] = await acceptMany(deps, [req]);
  if (out instanceof Error) throw out;
  return out;
}

/** Accepts several requests together; each gets its own result, or its own error. */
export async function acceptMany(deps: AcceptDeps, reqs: AcceptRequest[]): Promise<Array<AcceptResult | Error>> {
  const now = deps.now?.() ?? new Date();
  const prepared = reqs.map((req) => prepareRequest(req, deps.portability, now, deps.provinces, deps.senders));
  await gate(deps, prepared);
  const results = prepared.map(toResult);

  // Hand-off markers go up before the statement that queues the messages, so a crash before
  // they reach a send queue leaves a trace for the sweeper.
  const queuedIds = (p: PreparedRequest) => p.rows.filter((r) => r.status === 'queued').map((r) => r.id);
  await deps.handoffs.mark(prepared.flatMap(queuedIds));
  const byAccount = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    if (p.rows.length === 0) return; // only input errors: nothing to store
    byAccount.set(p.req.account.id, [...(byAccount.get(p.req.account.id) ?? []), i]);
  });
  const outcomes: Array<AcceptResult | Error> = [...results];
  // Accounts are stored independently: one account's failure (balance, database error) never
  // fails another account's requests that shared the round.
  await Promise.all([...byAccount.values()].map(async (idx) => {
    const settled = new Set<number>();
    try {
      if (await persist(deps, idx.map((i) => prepared[i]), idx.map((i) => results[i]), now)) return;
      // The account's balance can't cover all of them together: take them one by one.
      for (const i of idx) {
        if (!(await persist(deps, [prepared[i]], [results[i]], now))) {
          outcomes[i] = new AppError(402, 'INSUFFICIENT_BALANCE', `This send costs ${results[i].costMillis} milli-yuan; top up the prepaid balance first`);
        }
        settled.add(i);
      }
    } catch (err) {
      for (const i of idx) if (!settled.has(i)) outcomes[i] = err instanceof Error ? err : new Error(String(err));
    }
  }));

  const storedIds = new Set(prepared.flatMap((p, i) => (outcomes[i] instanceof Error ? [] : p.rows.map((r) => r.id))));
  const dispatches = new Map<string, { account: Account; category: Category; items: Parameters<Dispatcher['dispatch']>[2] }>();
  prepared.forEach((p, i) => {
    if (outcomes[i] instanceof Error) return;
    const key = `${p.req.account.id}|${p.req.category}`;
    const d = dispatches.get(key) ?? { account: p.req.account, category: p.req.category, items: [] };
    for (const r of p.rows) {
      if (r.status === 'queued') d.items.push({ id: r.id, to: r.to, carrier: r.carrier, country: r.country ?? 'CN', parts: r.parsedParts, encoding: r.encoding, sender: r.sender, callbackUrl: r.callbackUrl });
    }
    dispatches.set(key, d);
  });
  // Stored is accepted: a hand-off that fails now (Redis unreachable) keeps its markers and the
  // sweeper sends those messages later, so the requests still succeed.
  const handedOff = new Set<string>();
  await Promise.all([...dispatches.values()].map(async (d) => {
    try {
      await deps.dispatcher.dispatch(d.account, d.category, d.items);
      for (const item of d.items) handedOff.add(item.id);
    } catch (err) {
      deps.logger?.error('hand-off to the send queues failed; the sweeper will retry', { account: d.account.id, count: d.items.length, err });
    }
  }));
  // Not awaited: the messages are stored and queued, which is all the caller's answer promises. A
  // marker that outlives this (a crash now) only makes the sweeper look again, and the submit claim
  // keeps a message from going out twice.
  void deps.handoffs.clear(prepared.flatMap(queuedIds).filter((id) => handedOff.has(id) || !storedIds.has(id)))
    .catch((err) => deps.logger?.warn('clearing hand-off markers failed', { err }));
  return outcomes;
}

/** Blacklists, whitelists and caps: one check per account and category over all its messages. */
async function gate(deps: AcceptDeps, prepared: PreparedRequest[]): Promise<void> {
  const groups = new Map<string, { account: Account; category: Category; rows: PreparedRequest['rows'] }>();
  for (const p of prepared) {
    const key = `${p.req.account.id}|${p.req.category}`;
    const g = groups.get(key) ?? { account: p.req.account, category: p.req.category, rows: [] };
    g.rows.push(...p.rows.filter((r) => r.status !== 'failed'));
    groups.set(key, g);
  }
  await Promise.all([...groups.values()].map(async (g) => {
    const results = await runPolicyGate(deps, g.account, g.category, g.rows.map((r) => ({ e164: r.to, text: r.text })));
    results.forEach((res, i) => {
      if (!res.ok) Object.assign(g.rows[i], { status: 'failed', errorCode: res.code, errorMessage: res.message, scheduledAt: null });
    });
  }));
  for (const p of prepared) {
    for (const r of p.rows) r.costMillis = r.status === 'failed' ? 0 : r.parts * p.req.account.pricePerPartMillis;
  }
}

function toResult(p: PreparedRequest): AcceptResult {
  return {
    batchId: p.batchId,
    messages: p.rows.map((r) => ({
      index: r.index, id: r.id, to: r.to, status: r.status, parts: r.parts, encoding: r.encoding,
      errorCode: r.errorCode, errorMessage: r.errorMessage, scheduledAt: r.scheduledAt?.toISOString() ?? null,
    })),
    rejected: p.rejected,
    costMillis: p.rows.reduce((s, r) => s + r.costMillis, 0),
  };
}

/** One statement for several requests of one account; false when the balance does not cover them. */
function persist(deps: AcceptDeps, group: PreparedRequest[], results: AcceptResult[], now: Date): Promise<boolean> {
  const account = group[0].req.account;
  const at = now.toISOString();
  const write: AcceptWrite = { accountId: account.id, batches: [], messages: [], reports: [], debits: [], idempotency: [] };
  group.forEach((p, k) => {
    const live = p.rows.filter((r) => r.status !== 'failed');
    if (p.batchId) write.batches.push({ id: p.batchId, accepted: p.rows.length, rejected: p.rejected.length });
    write.messages.push(...p.rows);
    for (const r of p.rows) {
      if (r.status !== 'failed') continue;
      write.reports.push({
        messageId: r.id, callbackUrl: r.callbackUrl,
        payload: { type: 'status', messageId: r.id, reference: r.reference, to: r.to, status: 'failed', errorCode: r.errorCode, errorMessage: r.errorMessage, at } satisfies StatusReportPayload,
      });
    }
    if (account.billingType === 'prepaid' && results[k].costMillis > 0) {
      write.debits.push({
        amountMillis: results[k].costMillis, batchId: p.batchId, messageId: p.batchId ? null : live[0]?.id ?? null,
        reason: `${live.length} message(s), ${live.reduce((s, r) => s + r.parts, 0)} part(s)`,
      });
    }
    if (p.req.idempotency) write.idempotency.push({ key: p.req.idempotency.key, statusCode: 202, body: p.req.idempotency.answer(results[k]) });
  });
  return persistAccepted(deps.db, write);
}
