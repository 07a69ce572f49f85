/** The JSON a customer sees of a WhatsApp message and of an opt-in (whatsapp.routes.ts). */
import type { WhatsAppMessage } from '../../channels/whatsapp/whatsapp-message.repository.js';
import type { WhatsAppOptIn } from '../../channels/whatsapp/whatsapp-opt-in.repository.js';

/** The state of the SMS sent as fallback, read from the messages table. */
export interface SmsAttemptState {
  id: string;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  submittedAt: string | null;
  doneAt: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Every status the message went through, in lifecycle order, with the time first seen. Webhook
 * times are Meta's (whole seconds, so `sent` may show a time before `accepted`); the order is the
 * lifecycle's, whatever order the webhooks arrived in.
 */
export function statusHistory(m: WhatsAppMessage): Array<{ status: string; at: string }> {
  const steps: Array<[string, Date | null]> = [
    ['pending', m.createdAt], ['accepted', m.acceptedAt], ['sent', m.sentAt], ['delivered', m.deliveredAt], ['read', m.readAt], ['failed', m.failedAt],
  ];
  return steps.filter((s): s is [string, Date] => s[1] !== null).map(([status, at]) => ({ status, at: at.toISOString() }));
}

export function whatsAppMessageView(m: WhatsAppMessage, sms?: SmsAttemptState) {
  const f = m.fallback;
  return {
    id: m.id,
    to: m.to,
    type: m.type,
    reference: m.reference,
    status: m.status,
    errorCode: m.errorCode,
    providerCode: m.providerCode,
    errorMessage: m.errorMessage,
    providerMessageId: m.providerMessageId,
    createdAt: m.createdAt.toISOString(),
    content: m.content,
    history: statusHistory(m),
    fallback: f ? {
      condition: f.condition, timeoutSeconds: f.timeoutSeconds, state: f.state, dueAt: f.state === 'armed' ? iso(f.dueAt) : null,
      reason: f.reason, reasonCode: f.reasonCode, smsMessageId: f.smsMessageId, sentAt: iso(f.sentAt), error: f.error,
    } : null,
    attempts: [
      { channel: 'whatsapp' as const, id: m.id, status: m.status, errorCode: m.errorCode, providerCode: m.providerCode, at: m.createdAt.toISOString() },
      ...(f?.smsMessageId ? [{
        channel: 'sms' as const, id: f.smsMessageId, status: sms?.status ?? null, errorCode: sms?.errorCode ?? null, providerCode: null,
        at: iso(f.sentAt), submittedAt: sms?.submittedAt ?? null, doneAt: sms?.doneAt ?? null,
      }] : []),
    ],
  };
}

export function optInView(o: WhatsAppOptIn) {
  return {
    number: o.number, optedIn: o.optedIn, optedInAt: o.optedInAt.toISOString(), source: o.source,
    optedOutAt: iso(o.optedOutAt), optOutSource: o.optOutSource, updatedAt: o.updatedAt.toISOString(),
  };
}
