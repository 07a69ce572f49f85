/**
 * The three forms issue 4 asks for, on the templates of templates/cards/:
 * - `smart-sms`: 【signature】 + summary + the parse link: the text SMS a smart-SMS platform turns
 *   into a card on supporting Android handsets (others show the text and open the link);
 * - `h5`: the card as a complete mobile web page (what the link opens on other handsets);
 * - `text`: a plain-text fallback (title, description, the key fields, the link).
 * - `rcs`: the 5G message JSON (rcs-card-renderer.ts).
 * `defaultCardRenderers()` registers all four.
 */
import type { Card } from '../card-model.js';
import { CardRendererRegistry, type CardRenderContext, type CardRenderer, type RenderedCard } from './card-renderer.js';
import { cardView } from './card-view-model.js';
import { cardViews, type CardViews } from './card-views.js';
import { RcsCardRenderer } from './rcs-card-renderer.js';

/** Blank lines dropped and lines trimmed: text templates print a line per field, present or not. */
function tidy(text: string): string {
  return text.split('\n').map((l) => l.replace(/\s+$/u, '').replace(/^\s+/u, '')).filter((l) => l !== '').join('\n');
}

export class SmartSmsRenderer implements CardRenderer {
  readonly kind = 'smart-sms';
  readonly contentType = 'text/plain; charset=utf-8';
  constructor(private readonly views: CardViews = cardViews()) {}

  render(card: Card, ctx: CardRenderContext): RenderedCard {
    const body = this.views.smartSms({ signature: ctx.signature, summary: card.summary, link: ctx.link }).trim();
    return { kind: this.kind, contentType: this.contentType, body };
  }
}

export class H5Renderer implements CardRenderer {
  readonly kind = 'h5';
  readonly contentType = 'text/html; charset=utf-8';
  constructor(private readonly views: CardViews = cardViews()) {}

  render(card: Card, ctx: CardRenderContext): RenderedCard {
    const view = cardView(card, ctx);
    const v = this.views;
    const body = v.h5.get(card.type)!(view);
    const pageTitle = card.type === 'carousel' ? card.summary : card.title;
    return { kind: this.kind, contentType: this.contentType, body: v.page({ ...view, body, pageTitle, css: v.css, js: v.js, csp: v.csp }) };
  }
}

export class TextRenderer implements CardRenderer {
  readonly kind = 'text';
  readonly contentType = 'text/plain; charset=utf-8';
  constructor(private readonly views: CardViews = cardViews()) {}

  render(card: Card, ctx: CardRenderContext): RenderedCard {
    return { kind: this.kind, contentType: this.contentType, body: tidy(this.views.text.get(card.type)!(cardView(card, ctx))) };
  }
}

/** A registry with the smart-SMS, H5, plain-text and 5G (rcs) renderers. */
export function defaultCardRenderers(views: CardViews = cardViews()): CardRendererRegistry {
  return new CardRendererRegistry().register(new SmartSmsRenderer(views)).register(new H5Renderer(views)).register(new TextRenderer(views))
    .register(new RcsCardRenderer(views));
}
