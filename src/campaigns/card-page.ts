/**
 * The H5 page behind a card short link (what an iPhone, or any handset that does not parse the card,
 * opens): the recipient's card from the approved template and their variables, with buttons that
 * go through the short link's click tracking.
 */
import type { CardTemplateService, PreparedCardTemplate } from '../cards/card-template.service.js';
import type { CardRendererRegistry } from '../cards/render/card-renderer.js';
import type { CardPageRenderer } from '../links/redirect-handler.js';
import type { ResolvedLink } from '../links/link.js';
import { AppError } from '../http/app-error.js';

/** Templates change only by review, so a page render reuses the prepared template for a minute. */
const TEMPLATE_TTL_MS = 60_000;

/**
 * @param fallback the page for a card link whose card cannot be rendered (template gone or no longer
 *   approved, variables missing): the link's target, like a link without a card renderer.
 */
export function cardPageRenderer(deps: { cards: CardTemplateService; renderers: CardRendererRegistry; fallback: (link: ResolvedLink) => string }): CardPageRenderer {
  const prepared = new Map<string, { value: Promise<PreparedCardTemplate>; until: number }>();
  const templateOf = (accountId: string, templateId: string) => {
    const key = `${accountId}\u0000${templateId}`;
    let hit = prepared.get(key);
    if (!hit || hit.until < Date.now()) {
      if (prepared.size > 1_000) prepared.clear();
      hit = { value: deps.cards.prepareForSend(accountId, templateId), until: Date.now() + TEMPLATE_TTL_MS };
      hit.value.catch(() => prepared.delete(key));
      prepared.set(key, hit);
    }
    return hit.value;
  };
  return async (link, ctx) => {
    if (!link.card) return deps.fallback(link);
    let card;
    try {
      card = (await templateOf(link.accountId, link.card.templateId)).render(link.card.variables ?? {});
    } catch (err) {
      if (err instanceof AppError) return deps.fallback(link);
      throw err;
    }
    return deps.renderers.render('h5', card, {
      // A button that leaves the page goes through the tracked redirect; one that does not
      // (copy a code) is recorded by a beacon from the page.
      buttonUrl: (_button, ref) => (ref.target ? ctx.buttonUrl(ref.id, ref.target) : ctx.beaconUrl(ref.id)),
    }).body;
  };
}
