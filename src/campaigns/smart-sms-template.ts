/**
 * The parse platform's registration of a card template: made at its first send, waited for briefly
 * while the platform reviews it. Without an approved one, texts carry the card-page links only
 * (card campaigns) or the smart_sms step hands over to the next channel (fallback chains).
 */
import type { SmartSmsService } from '../channels/smart-sms/smart-sms.service.js';
import type { Logger } from '../logging/logger.js';

export interface ProviderTemplateState {
  providerTemplateId: string | null;
  status: 'approved' | 'pending' | 'rejected' | 'unavailable';
}

export async function smartSmsTemplateFor(
  deps: { smartSms: SmartSmsService; logger: Logger; reviewWaitMs?: number },
  accountId: string,
  template: { id: string; name: string; type: string },
  samplePage: string | undefined,
): Promise<ProviderTemplateState> {
  try {
    let t = await deps.smartSms.latestTemplateFor(accountId, template.id);
    if (!t && samplePage) {
      const customUrlBase = new URL(samplePage).origin;
      t = await deps.smartSms.registerTemplate(accountId, template.id, { cardType: template.type, title: template.name.slice(0, 64) }, customUrlBase);
    }
    const until = Date.now() + (deps.reviewWaitMs ?? 3_000);
    while (t && t.status === 'pending' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      t = await deps.smartSms.template(accountId, t.providerTemplateId, { refresh: true });
    }
    return t ? { providerTemplateId: t.providerTemplateId, status: t.status } : { providerTemplateId: null, status: 'unavailable' };
  } catch (err) {
    // The parse platform being down must not stop the send: the card-page links still work.
    deps.logger.warn('smart-SMS parse platform unavailable', { accountId, err: err instanceof Error ? err.message : String(err) });
    return { providerTemplateId: null, status: 'unavailable' };
  }
}
