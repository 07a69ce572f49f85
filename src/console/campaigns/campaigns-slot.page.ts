/**
 * The "Campaigns" slot of the console's navigation, held until the campaign pages arrive with the
 * campaign send (`POST /v1/cards/send`) and click reports: replace this page in src/platform.ts
 * with the real one, keeping the nav entry's place.
 */
import express from 'express';
import type { ConsolePage } from '../console-page.js';

export const CAMPAIGNS_PATH = '/console/campaigns';

export function campaignsSlotPage(): ConsolePage {
  return {
    nav: { label: 'Campaigns', href: CAMPAIGNS_PATH },
    routes(ctx) {
      const r = express.Router();
      r.get('/campaigns', (_req, res) => ctx.render(res, 'campaigns/slot', { title: 'Campaigns' }));
      return r;
    },
  };
}
