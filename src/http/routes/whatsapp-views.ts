/** The JSON a customer sees of a WhatsApp message and of an opt-in (whatsapp.routes.ts). */
import type { WhatsAppMessage } from '../../channels/whatsapp/whatsapp-message.repository.js';
import type { WhatsAppOptIn } from '../../channels/whatsapp/whatsapp-opt-in.repository.js';
import type { WhatsAppStepOfSend } from '../../fallback/whatsapp-sms-fallback.js';

/** The state of the SMS the fallback step sent, read from the messages table. */
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

/**
 * The `fallback` of a WhatsApp message sent as a step of a fallback send, from the engine's steps:
 * this step and the next. `state`: armed (waiting for the condition), not_needed (reached), claimed
 * (the next step is being sent), sent, error (the next step was refused, see `error`).
 */
export function fallbackView(chain: WhatsAppStepOfSend) {
  const wa = chain.send.steps[chain.step];
  const next = chain.send.steps[chain.step + 1];
  if (!wa || !next) return null;
  const state = wa.state === 'succeeded' || next.state === 'skipped' ? 'not_needed'
    : wa.state !== 'moved_on' ? 'armed'
      : next.state === 'pending' || next.state === 'sending' ? 'claimed'
        : next.state === 'failed' ? 'error' : 'sent';
  return {
    sendId: chain.send.id, condition: wa.condition, timeoutSeconds: wa.timeoutSeconds, state,
    dueAt: state === 'armed' && wa.state === 'waiting' ? iso(wa.dueAt) : null,
    reason: wa.reason === null ? null : wa.reason === 'timeout' ? 'timeout' as const : 'failed' as const,
    reasonCode: wa.reason === 'timeout' ? null : wa.reasonCode,
    smsMessageId: next.channelMessageId, sentAt: iso(next.sentAt),
    error: next.state === 'failed' ? `${next.reasonCode}: ${next.detail}` : null,
  };
}

/** A WhatsApp message; with its fallback send (if it is a step of one) and the state of the SMS that send sent. */
export function whatsAppMessageView(m: WhatsAppMessage, chain?: WhatsAppStepOfSend, sms?: SmsAttemptState) {
  const f = chain ? fallbackView(chain) : null;
  const next = chain?.send.steps[chain.step + 1];
  return {
    id: m.id,
    to: m.to,
    type: m.type,
    // A step's message carries its step reference; the customer's own is the send's.
    reference: chain ? chain.send.reference : m.reference,
    status: m.status,
    errorCode: m.errorCode,
    providerCode: m.providerCode,
    errorMessage: m.errorMessage,
    providerMessageId: m.providerMessageId,
    createdAt: m.createdAt.toISOString(),
    content: m.content,
    history: statusHistory(m),
    fallback: f,
    attempts: [
      { channel: 'whatsapp' as const, id: m.id, status: m.status, errorCode: m.errorCode, providerCode: m.providerCode, at: m.createdAt.toISOString() },
      ...(next?.channelMessageId ? [{
        channel: next.channel, id: next.channelMessageId, status: sms?.status ?? next.status, errorCode: sms?.errorCode ?? null, providerCode: null,
        at: iso(next.sentAt ?? next.startedAt), submittedAt: sms?.submittedAt ?? null, doneAt: sms?.doneAt ?? null,
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
