/**
 * A provider's signed JSON webhook (WhatsApp, the 5G MaaP): the raw body is kept for the signature
 * check, then parsed; a bad signature is 401 naming the header, a body that isn't JSON is 400.
 */
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../app-error.js';

export function signedJsonWebhook(opts: {
  /** Whether the signature over the raw body is right. */
  verify: (raw: Buffer, req: Request) => boolean;
  /** The header carrying the signature, and what a valid one looks like (the 401's message). */
  header: string;
  rule: string;
  handle: (payload: unknown) => Promise<Record<string, unknown>>;
}): RequestHandler[] {
  return [express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!opts.verify(raw, req)) throw new AppError(401, 'WEBHOOK_SIGNATURE_INVALID', `${opts.header} ${opts.rule}`, opts.header);
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError(400, 'INVALID_JSON', 'Request body is not valid JSON', 'body');
    }
    res.json({ ok: true, ...(await opts.handle(payload)) });
  }];
}
