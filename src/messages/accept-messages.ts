/**
 * The accept use case behind POST /v1/messages and /v1/messages/batch:
 * compose each recipient's content → validate the number → batch policy checks → one transaction
 * that debits the balance and stores accepted and rejected messages (with their reports) →
 * route and enqueue. Input errors come back per recipient and store nothing; policy rejections
 * become failed messages reported like any other.
 */
import type { Account, Category } from '../accounts/account.js';
import type { Db } from '../db/db-client.js';
import { AppError } from '../http/app-error.js';
import { newId } from '../ids.js';
import { parsePhoneNumber } from '../numbers/phone-number.js';
import { resolveCarrier, type PortabilityLookup } from '../numbers/china-carrier.js';
import { evaluateWindow } from '../policy/sending-window.js';
import type { StatusReportPayload } from '../receipts/status-report.js';
import { composeContent, type ContentContext } from './compose-content.js';
import type { NewMessage } from './message.js';
import { persistAccepted } from './accept.repository.js';
import { runPolicyGate, type PolicyGateDeps } from './policy-gate.js';
import type { Dispatcher } from './dispatcher.js';

export interface Recipient {
  to: string;
  variables?: Record<string, unknown>;
  reference?: string;
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
  dispatcher: Dispatcher;
  now?: () => Date;
}

export async function acceptMessages(deps: AcceptDeps, req: AcceptRequest): Promise<AcceptResult> {
  const { account, category } = req;
  const now = deps.now?.() ?? new Date();
  const batchId = req.batch ? newId('bat') : null;
  const rejected: RejectedRecipient[] = [];
  const rows: Array<NewMessage & { index: number; parsedParts: string[] }> = [];

  const window = evaluateWindow({
    category, highRisk: account.settings.highRisk, now, window: account.settings.marketingWindow,
    outside: account.settings.outsideWindow, timeZone: account.settings.timeZone,
  });
  const holdUntil = window.action === 'hold' ? window.until : null;
  const scheduledAt = req.scheduledAt && holdUntil ? new Date(Math.max(req.scheduledAt.getTime(), holdUntil.getTime())) : req.scheduledAt ?? holdUntil;

  req.recipients.forEach((r, index) => {
    const field = req.batch ? `recipients.${index}.to` : 'to';
    const num = parsePhoneNumber(r.to);
    if (!num.ok) return void rejected.push({ index, to: r.to, code: num.code, field, message: num.message });
    const international = num.country !== 'CN';
    const content = composeContent({ ...req.content, account, category, international }, r.variables ?? {});
    if (content.kind === 'invalid') {
      return void rejected.push({ index, to: r.to, code: content.code, field: req.batch ? `recipients.${index}.${content.field}` : content.field, message: content.message });
    }
    const carrier = international ? null : resolveCarrier(num.e164, deps.portability).carrier;
    const base = {
      index, id: newId('msg'), accountId: account.id, batchId, to: num.e164, country: num.country, carrier, category,
      sender: null, templateId: req.templateId, scheduledAt: null, callbackUrl: req.callbackUrl, reference: r.reference ?? null, costMillis: 0,
    };
    if (content.kind === 'rejected') {
      const seg = { encoding: 'ucs2' as const, parts: [] as string[] };
      rows.push({ ...base, signature: content.signature, text: content.text, encoding: seg.encoding, parts: 0, parsedParts: [],
        status: 'failed', errorCode: content.code, errorMessage: content.message });
      return;
    }
    rows.push({ ...base, signature: content.signature, text: content.text, encoding: content.encoding, parts: content.parts.length,
      parsedParts: content.parts, status: scheduledAt ? 'scheduled' : 'queued', errorCode: null, errorMessage: null, scheduledAt });
  });

  if (window.action === 'reject') {
    for (const row of rows) if (row.status !== 'failed') Object.assign(row, { status: 'failed', errorCode: window.code, errorMessage: window.message, scheduledAt: null });
  }
  const candidates = rows.filter((r) => r.status !== 'failed');
  const gate = await runPolicyGate(deps, account, category, candidates.map((r) => ({ e164: r.to, text: r.text })));
  gate.forEach((g, i) => {
    if (!g.ok) Object.assign(candidates[i], { status: 'failed', errorCode: g.code, errorMessage: g.message, scheduledAt: null });
  });

  const live = rows.filter((r) => r.status !== 'failed');
  for (const r of live) r.costMillis = r.parts * account.pricePerPartMillis;
  const total = live.reduce((s, r) => s + r.costMillis, 0);

  const result: AcceptResult = {
    batchId,
    messages: rows.map((r) => ({
      index: r.index, id: r.id, to: r.to, status: r.status, parts: r.parts, encoding: r.encoding,
      errorCode: r.errorCode, errorMessage: r.errorMessage, scheduledAt: r.scheduledAt?.toISOString() ?? null,
    })),
    rejected,
    costMillis: total,
  };

  // Nothing valid to store (every recipient was an input error): write nothing at all.
  if (rows.length === 0) return result;

  const at = now.toISOString();
  const stored = await persistAccepted(deps.db, {
    accountId: account.id,
    batch: batchId ? { id: batchId, accepted: rows.length, rejected: rejected.length } : null,
    messages: rows,
    reports: rows.filter((r) => r.status === 'failed').map((r) => ({
      messageId: r.id, callbackUrl: r.callbackUrl,
      payload: { type: 'status', messageId: r.id, reference: r.reference, to: r.to, status: 'failed', errorCode: r.errorCode, errorMessage: r.errorMessage, at } satisfies StatusReportPayload,
    })),
    debit: account.billingType === 'prepaid' && total > 0
      ? { amountMillis: total, messageId: batchId ? null : live[0]?.id ?? null, reason: `${live.length} message(s), ${live.reduce((s, r) => s + r.parts, 0)} part(s)` }
      : null,
    idempotency: req.idempotency ? { key: req.idempotency.key, statusCode: 202, body: req.idempotency.answer(result) } : null,
  });
  if (!stored) throw new AppError(402, 'INSUFFICIENT_BALANCE', `This send costs ${total} milli-yuan; top up the prepaid balance first`);

  const queued = rows.filter((r) => r.status === 'queued');
  await deps.dispatcher.dispatch(account, category, queued.map((r) => ({ id: r.id, to: r.to, carrier: r.carrier, country: r.country ?? 'CN', parts: r.parsedParts, encoding: r.encoding, sender: r.sender, callbackUrl: r.callbackUrl })));

  return result;
}
