import { describe, expect, it } from 'vitest';
import { nextStatus, WHATSAPP_STATUSES, type WhatsAppStatus } from '../../../src/channels/whatsapp/whatsapp-status.js';
import type { WhatsAppMessage } from '../../../src/channels/whatsapp/whatsapp-message.repository.js';
import { stepEventOfWhatsApp } from '../../../src/fallback/channels/whatsapp-fallback-channel.js';
import { meetsCondition } from '../../../src/fallback/fallback-engine.js';
import { WINDOW_MS, windowOpen } from '../../../src/channels/whatsapp/whatsapp-inbound.repository.js';

const apply = (statuses: WhatsAppStatus[]) => statuses.reduce(nextStatus, 'pending' as WhatsAppStatus);

describe('WhatsApp status monotonicity', () => {
  it('when statuses arrive in order, then the message follows them', () => {
    expect(apply(['accepted', 'sent', 'delivered', 'read'])).toBe('read');
  });

  it('when a late sent or delivered arrives after read, then the message stays read', () => {
    expect(apply(['accepted', 'read', 'sent', 'delivered'])).toBe('read');
  });

  it('when the API answer (accepted) arrives after the delivered webhook, then it stays delivered', () => {
    expect(apply(['delivered', 'accepted'])).toBe('delivered');
  });

  it('when anything arrives after failed, then the message stays failed', () => {
    for (const s of WHATSAPP_STATUSES) expect(nextStatus('failed', s)).toBe('failed');
  });

  it('when failed arrives before delivery, then it fails; after delivery or reading, then it is ignored', () => {
    expect(apply(['accepted', 'sent', 'failed'])).toBe('failed');
    expect(apply(['accepted', 'delivered', 'failed'])).toBe('delivered');
    expect(apply(['read', 'failed'])).toBe('read');
  });

  it('when every order of sent, delivered and read is applied, then the result is read', () => {
    const perms = [['sent', 'delivered', 'read'], ['sent', 'read', 'delivered'], ['delivered', 'sent', 'read'], ['delivered', 'read', 'sent'], ['read', 'sent', 'delivered'], ['read', 'delivered', 'sent']] as WhatsAppStatus[][];
    for (const p of perms) expect(apply(p), p.join(',')).toBe('read');
  });

  it('when the failover condition (a fallback step\'s) is delivered, then delivered and read reach it; read needs read; failed reaches neither', () => {
    const reaches = (condition: 'delivered' | 'read') => WHATSAPP_STATUSES.filter((status) => {
      const m = { id: 'wam_1', status, providerCode: null, reference: 'fbs_msg_1:0', createdAt: new Date(), acceptedAt: null, sentAt: null, deliveredAt: null, readAt: null, failedAt: null } as unknown as WhatsAppMessage;
      return meetsCondition(stepEventOfWhatsApp(m).status, condition);
    });
    expect(reaches('delivered')).toEqual(['delivered', 'read']);
    expect(reaches('read')).toEqual(['read']);
  });
});

describe('the 24 h customer-service window', () => {
  const now = new Date('2030-01-02T12:00:00Z');

  it('when the user never wrote, then the window is closed', () => {
    expect(windowOpen(undefined, now)).toBe(false);
  });

  it('when the user wrote 23 h 59 min ago, then it is open; exactly 24 h ago, then it is closed', () => {
    expect(windowOpen(new Date(now.getTime() - WINDOW_MS + 60_000), now)).toBe(true);
    expect(windowOpen(new Date(now.getTime() - WINDOW_MS), now)).toBe(false);
  });
});
