/** JSON shapes of 5G messages and chatbots as the API returns them. */
import type { Chatbot } from '../../channels/rcs/chatbot.repository.js';
import { menuToMaap } from '../../channels/rcs/chatbot-menu.js';
import type { RcsMessage } from '../../channels/rcs/rcs-message.repository.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function rcsMessageView(m: RcsMessage) {
  return {
    id: m.id, chatbotId: m.chatbotId, to: m.to, kind: m.kind, origin: m.origin, reference: m.reference, stepRef: m.stepRef,
    status: m.status, maapStatus: m.maapStatus, deliveredAsSms: m.deliveredAsSms, errorCode: m.errorCode, errorMessage: m.errorMessage,
    createdAt: m.createdAt.toISOString(), acceptedAt: iso(m.acceptedAt), sentAt: iso(m.sentAt), deliveredAt: iso(m.deliveredAt),
    readAt: iso(m.readAt), failedAt: iso(m.failedAt), smsFallback: m.smsContent === null ? null : { text: m.smsContent },
    history: m.history, message: m.payload,
  };
}

/** The chatbot with its menu as registered at the MaaP (GSMA persistentMenu). */
export function chatbotView(c: Chatbot) {
  return { ...c, persistentMenu: menuToMaap(c.menu) };
}
