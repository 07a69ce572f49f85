/**
 * The MaaP's notifications (delivery statuses, user messages, suggestion taps). Public (the MaaP
 * has no API key) but every POST must carry a valid X-Maap-Signature over the raw body, checked
 * before the JSON is parsed. Mounted before the app's JSON parser.
 */
import express, { Router } from 'express';
import { verifyCallbackSignature } from '../../receipts/callback-signer.js';
import { MAAP_SIGNATURE_HEADER } from '../../channels/rcs/maap-api.js';
import type { RcsService } from '../../channels/rcs/rcs.service.js';
import { AppError } from '../app-error.js';

export const RCS_WEBHOOK_PATH = '/webhooks/rcs';

export function rcsWebhookRouter(deps: { service: Pick<RcsService, 'handleWebhook'>; secret: string }): Router {
  const r = Router();
  r.post(RCS_WEBHOOK_PATH, express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyCallbackSignature(deps.secret, req.header(MAAP_SIGNATURE_HEADER), raw.toString('utf8'))) {
      throw new AppError(401, 'WEBHOOK_SIGNATURE_INVALID', 'X-Maap-Signature is missing, too old (5 min), or not t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> with RCS_WEBHOOK_SECRET', 'X-Maap-Signature');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError(400, 'INVALID_JSON', 'Request body is not valid JSON', 'body');
    }
    res.json({ ok: true, ...(await deps.service.handleWebhook(payload)) });
  });
  return r;
}
