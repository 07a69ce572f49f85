/** Card campaigns: one approved card template sent as smart SMS to many recipients, each with a link of their own. */
import { Router } from 'express';
import { z } from 'zod';
import type { CardCampaignService } from '../../campaigns/card-campaign.service.js';
import { MAX_BATCH_RECIPIENTS } from './message-schemas.js';

export const cardSendSchema = z.object({
  templateId: z.string().min(1).max(64),
  signature: z.string().min(2).max(8),
  campaignName: z.string().min(1).max(100).optional(),
  recipients: z.array(z.object({
    to: z.string().min(1).max(32),
    variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }).strict()).min(1).max(MAX_BATCH_RECIPIENTS),
}).strict();

export function cardCampaignsRouter(deps: { campaigns: CardCampaignService }): Router {
  const r = Router();
  r.post('/v1/cards/send', async (req, res) => {
    const body = cardSendSchema.parse(req.body);
    res.status(202).json(await deps.campaigns.send(req.account!, body));
  });
  return r;
}
