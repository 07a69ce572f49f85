/** Card campaigns: one approved card template sent as smart SMS to many recipients, each with a link of their own. */
import { Router } from 'express';
import { z } from 'zod';
import type { CardCampaignService } from '../../campaigns/card-campaign.service.js';
import { MAX_BATCH_RECIPIENTS } from './message-schemas.js';
import { chainSchema } from '../../fallback/fallback-send.js';
import type { FallbackSendService } from '../../fallback/fallback-send.service.js';

export const cardSendSchema = z.object({
  templateId: z.string().min(1).max(64),
  signature: z.string().min(2).max(8),
  campaignName: z.string().min(1).max(100).optional(),
  recipients: z.array(z.object({
    to: z.string().min(1).max(32),
    variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }).strict()).min(1).max(MAX_BATCH_RECIPIENTS),
  /** A channel chain, e.g. ["rcs", "smart_sms", "sms"]: each recipient gets the richest form its handset shows. */
  channels: chainSchema.optional(),
}).strict();

export function cardCampaignsRouter(deps: { campaigns: CardCampaignService; fallback?: FallbackSendService }): Router {
  const r = Router();
  r.post('/v1/cards/send', async (req, res) => {
    const body = cardSendSchema.parse(req.body);
    const account = req.account!;
    // With a chain (given, or the account's marketing default) each recipient goes down it; without,
    // the campaign is sent as smart SMS.
    const channels = body.channels ?? account.settings.fallbackChains?.marketing;
    if (channels && deps.fallback) return void res.status(202).json(await deps.fallback.sendCampaign(account, { ...body, channels }));
    res.status(202).json(await deps.campaigns.send(account, body));
  });
  return r;
}
