/**
 * The synchronous half of accepting a request: the sending window, and per recipient the number,
 * the content rules and segmentation. Produces the message rows (accepted or refused by a rule)
 * and the input errors, before any shared state is consulted.
 */
import { newId } from '../ids.js';
import { parsePhoneNumber } from '../numbers/phone-number.js';
import { resolveCarrier, type PortabilityLookup, type ProvinceLookup } from '../numbers/china-carrier.js';
import { evaluateWindow } from '../policy/sending-window.js';
import type { SenderLookup } from '../senders/sender-directory.js';
import type { SenderDecision } from '../senders/sender-policy.js';
import { checkContent, composeContent, type ContentOutcome } from './compose-content.js';
import type { NewMessage } from './message.js';
import type { AcceptRequest, RejectedRecipient } from './accept-messages.js';

export type PreparedRow = NewMessage & { index: number; parsedParts: string[] };

export interface PreparedRequest {
  req: AcceptRequest;
  batchId: string | null;
  rows: PreparedRow[];
  rejected: RejectedRecipient[];
}

/**
 * @param provinces number → province lookup for per-account province blocking; the platform ships
 *   no province data, so without one the setting has no effect (see README, known gaps).
 * @param senders chooses the sender ID of international messages (country rules, the account's
 *   approved registrations); without one they go out with the requested sender as given.
 */
export function prepareRequest(req: AcceptRequest, portability: PortabilityLookup, now: Date, provinces?: ProvinceLookup, senders?: SenderLookup): PreparedRequest {
  const { account, category } = req;
  const batchId = req.batch ? newId('bat') : null;
  const rejected: RejectedRecipient[] = [];
  const rows: PreparedRow[] = [];
  const window = evaluateWindow({
    category, highRisk: account.settings.highRisk, now, window: account.settings.marketingWindow,
    outside: account.settings.outsideWindow, timeZone: account.settings.timeZone,
  });
  const holdUntil = window.action === 'hold' ? window.until : null;
  const blocked = provinces && account.settings.blockedProvinces.length ? new Set(account.settings.blockedProvinces) : undefined;
  const scheduledAt = req.scheduledAt && holdUntil ? new Date(Math.max(req.scheduledAt.getTime(), holdUntil.getTime())) : req.scheduledAt ?? holdUntil;

  // One text for many recipients (a plain-text batch) is checked and segmented once.
  const contexts = { domestic: { ...req.content, account, category, international: false }, international: { ...req.content, account, category, international: true } };
  const checked = new Map<string, ContentOutcome>();
  const composeFor = (international: boolean, variables: Record<string, unknown>): ContentOutcome => {
    const ctx = international ? contexts.international : contexts.domestic;
    let text: string;
    try {
      text = ctx.render(variables);
    } catch {
      return composeContent(ctx, variables); // reports the template error with its field
    }
    const key = `${international ? 'i' : 'd'}${text}`;
    let outcome = checked.get(key);
    if (!outcome) {
      outcome = checkContent(ctx, text);
      if (checked.size < 1_000) checked.set(key, outcome);
    }
    return outcome;
  };

  // The decision depends on the country only (account, category and requested sender are the
  // request's), so a batch to one country decides once.
  const requested = req.senderId ?? null;
  const senderByCountry = new Map<string, SenderDecision>();
  const senderFor = (country: string): SenderDecision => {
    let d = senderByCountry.get(country);
    if (!d) {
      d = senders ? senders.decide(account.id, country, category, requested)
        : { ok: true, sender: requested, type: null, ton: null, npi: null, registered: false, fellBack: false };
      senderByCountry.set(country, d);
    }
    return d;
  };

  req.recipients.forEach((r, index) => {
    const field = req.batch ? `recipients.${index}.to` : 'to';
    const num = parsePhoneNumber(r.to);
    if (!num.ok) return void rejected.push({ index, to: r.to, code: num.code, field, message: num.message });
    const international = num.country !== 'CN';
    const content = composeFor(international, r.variables ?? {});
    if (content.kind === 'invalid') {
      return void rejected.push({ index, to: r.to, code: content.code, field: req.batch ? `recipients.${index}.${content.field}` : content.field, message: content.message });
    }
    const chosen = international ? senderFor(num.country) : undefined;
    const base = {
      index, id: r.id ?? newId('msg'), accountId: account.id, batchId, to: num.e164, country: num.country,
      carrier: international ? null : resolveCarrier(num.e164, portability).carrier, category,
      sender: chosen?.ok ? chosen.sender : null, templateId: req.templateId, scheduledAt: null, callbackUrl: r.callbackUrl ?? req.callbackUrl, reference: r.reference ?? null, costMillis: 0,
    };
    if (content.kind === 'rejected') {
      rows.push({ ...base, signature: content.signature, text: content.text, encoding: 'ucs2', parts: 0, parsedParts: [],
        status: 'failed', errorCode: content.code, errorMessage: content.message });
      return;
    }
    if (chosen && !chosen.ok) {
      rows.push({ ...base, sender: requested, signature: content.signature, text: content.text, encoding: content.encoding, parts: 0, parsedParts: [],
        status: 'failed', errorCode: chosen.code, errorMessage: chosen.message });
      return;
    }
    const province = blocked && !international ? provinces!.provinceOf(num.e164) : undefined;
    if (province && blocked!.has(province)) {
      rows.push({ ...base, signature: content.signature, text: content.text, encoding: content.encoding, parts: 0, parsedParts: [],
        status: 'failed', errorCode: 'PROVINCE_BLOCKED', errorMessage: `This account may not send to numbers of ${province}` });
      return;
    }
    rows.push({ ...base, signature: content.signature, text: content.text, encoding: content.encoding, parts: content.parts.length,
      parsedParts: content.parts, status: scheduledAt ? 'scheduled' : 'queued', errorCode: null, errorMessage: null, scheduledAt });
  });

  if (window.action === 'reject') {
    for (const row of rows) if (row.status !== 'failed') Object.assign(row, { status: 'failed', errorCode: window.code, errorMessage: window.message, scheduledAt: null });
  }
  return { req, batchId, rows, rejected };
}
