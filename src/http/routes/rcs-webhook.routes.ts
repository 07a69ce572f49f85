/**
 * The MaaP's notifications (delivery statuses, user messages, suggestion taps). Public (the MaaP
 * has no API key) but every POST must carry a valid X-Maap-Signature over the raw body, checked
 * before the JSON is parsed. Mounted before the app's JSON parser.
 */
import { signedJsonWebhook } from './signed-json-webhook.js';
import { Router } from 'express';
import { verifyCallbackSignature } from '../../receipts/callback-signer.js';
import { MAAP_SIGNATURE_HEADER } from '../../channels/rcs/maap-api.js';
import type { RcsService } from '../../channels/rcs/rcs.service.js';

export const RCS_WEBHOOK_PATH = '/webhooks/rcs';

export function rcsWebhookRouter(deps: { service: Pick<RcsService, 'handleWebhook'>; secret: string }): Router {
  const r = Router();
  r.post(RCS_WEBHOOK_PATH, ...signedJsonWebhook({
    verify: (raw, req) => verifyCallbackSignature(deps.secret, req.header(MAAP_SIGNATURE_HEADER), raw.toString('utf8')),
    header: 'X-Maap-Signature',
    rule: 'is missing, too old (5 min), or not t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> with RCS_WEBHOOK_SECRET',
    handle: (payload) => deps.service.handleWebhook(payload),
  }));
  return r;
}
