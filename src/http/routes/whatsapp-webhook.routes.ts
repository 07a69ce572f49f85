/**
 * Meta's side of the WhatsApp channel: the verification handshake (GET) and the signed webhook
 * (POST). Public (Meta has no API key) but every POST must carry a valid X-Hub-Signature-256 over
 * the raw body, checked before the JSON is even parsed. Mounted before the app's JSON parser.
 */
import { signedJsonWebhook } from './signed-json-webhook.js';
import { Router } from 'express';
import { safeEqual } from '../../accounts/api-keys.js';
import type { WhatsAppService } from '../../channels/whatsapp/whatsapp.service.js';
import { SIGNATURE_HEADER_256, verifyWebhookSignature } from '../../channels/whatsapp/webhook-signature.js';
import { AppError } from '../app-error.js';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

export interface WhatsAppWebhookDeps {
  service: Pick<WhatsAppService, 'handleWebhook'>;
  appSecret: string;
  verifyToken: string;
}

export function whatsappWebhookRouter(deps: WhatsAppWebhookDeps): Router {
  const r = Router();

  // Meta calls this once when the callback URL is registered and expects hub.challenge back.
  r.get(WHATSAPP_WEBHOOK_PATH, (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode !== 'subscribe' || typeof challenge !== 'string' || challenge === '') {
      throw new AppError(400, 'WEBHOOK_VERIFICATION_INVALID', 'Expected hub.mode=subscribe with hub.verify_token and hub.challenge', 'hub.mode');
    }
    if (typeof token !== 'string' || !safeEqual(token, deps.verifyToken)) {
      throw new AppError(403, 'WEBHOOK_VERIFY_TOKEN_MISMATCH', 'hub.verify_token does not match WHATSAPP_VERIFY_TOKEN', 'hub.verify_token');
    }
    res.type('text/plain').send(challenge);
  });

  r.post(WHATSAPP_WEBHOOK_PATH, ...signedJsonWebhook({
    verify: (raw, req) => verifyWebhookSignature(deps.appSecret, raw, req.header(SIGNATURE_HEADER_256)),
    header: 'X-Hub-Signature-256',
    rule: 'is missing or is not the HMAC-SHA256 of the body with the app secret',
    handle: (payload) => deps.service.handleWebhook(payload),
  }));

  return r;
}
