/**
 * The `rcs` card renderer: a card as a 5G message (GSMA botmessage JSON). Single cards become a
 * `generalPurposeCard`, carousels a `generalPurposeCardCarousel`; the card's suggestions follow as
 * a botsuggestion entry (chips). Limits (PROTOCOLS.md) are checked on the way and each problem names
 * the card field (`card.cards.3.buttons.1.text`).
 *
 * The JSON is built in code from the card (a handlebars template emitting JSON would have to
 * escape every value by hand); the only prose in it, the description of typed cards (coupon,
 * flight, train ticket, order), is the plain-text rendering of templates/cards/text/<type>.hbs
 * without its title line, so the two forms never disagree.
 */
import { AppError } from '../../http/app-error.js';
import type { Card, CardMedia } from '../card-model.js';
import {
  MAAP_CONTENT_TYPES, RCS_LIMITS, checkCount, checkLength,
  type MaapContent, type RcsCardContent, type RcsMedia, type RcsMessageBody, type RcsProblem,
} from '../../channels/rcs/maap-message.js';
import type { CardRenderContext, CardRenderer, RenderedCard } from './card-renderer.js';
import { TextRenderer } from './card-renderers.js';
import { cardViews, type CardViews } from './card-views.js';
import { mediaUrl } from './card-view-model.js';
import { suggestionsOf } from './rcs-suggestions.js';

export type RcsCardRendering =
  | { ok: true; kind: 'rcs-card' | 'rcs-carousel'; body: RcsMessageBody }
  | { ok: false; problems: RcsProblem[] };

const HEIGHT = { SHORT: 'SHORT_HEIGHT', MEDIUM: 'MEDIUM_HEIGHT', TALL: 'TALL_HEIGHT' } as const;

function media(m: CardMedia, ctx: CardRenderContext, fallbackAlt: string): RcsMedia {
  return {
    mediaUrl: mediaUrl(m.url, ctx),
    mediaContentType: m.mime,
    ...(m.size ? { mediaFileSize: m.size } : {}),
    ...(m.thumbnail ? { thumbnailUrl: mediaUrl(m.thumbnail.url, ctx), thumbnailContentType: m.thumbnail.mime, ...(m.thumbnail.size ? { thumbnailFileSize: m.thumbnail.size } : {}) } : {}),
    height: HEIGHT[m.displayHeight ?? 'MEDIUM'],
    contentDescription: m.alt ?? fallbackAlt,
  };
}

export class RcsCardRenderer implements CardRenderer {
  readonly kind = 'rcs';
  readonly contentType = 'application/json';
  private readonly text: TextRenderer;

  constructor(views: CardViews = cardViews()) {
    this.text = new TextRenderer(views);
  }

  /** The 5G message of a card, or the limits it breaks (nothing thrown: the fallback channel refuses with them). */
  toMessage(card: Card, ctx: CardRenderContext = {}): RcsCardRendering {
    const problems: RcsProblem[] = [];
    const list: MaapContent[] = [];
    if (card.type === 'carousel') {
      checkCount(problems, 'card.cards', card.cards.length, RCS_LIMITS.carouselMax, RCS_LIMITS.carouselMin);
      const content = card.cards.map((c, i): RcsCardContent => {
        const field = `card.cards.${i}`;
        checkLength(problems, `${field}.title`, c.title, RCS_LIMITS.title);
        checkLength(problems, `${field}.description`, c.description, RCS_LIMITS.description);
        return strip({
          media: media(c.media, ctx, c.title), title: c.title, description: c.description,
          suggestions: suggestionsOf(c.buttons, `c${i}.b`, `${field}.buttons`, RCS_LIMITS.cardSuggestions, problems),
        });
      });
      const cardWidth = card.cardWidth === 'SMALL' ? 'SMALL_WIDTH' : 'MEDIUM_WIDTH';
      list.push({ contentType: MAAP_CONTENT_TYPES.botMessage, contentText: { message: { generalPurposeCardCarousel: { layout: { cardWidth }, content } } } });
    } else {
      const description = this.description(card, ctx);
      checkLength(problems, 'card.title', card.title, RCS_LIMITS.title);
      checkLength(problems, 'card.description', description, RCS_LIMITS.description);
      const m = 'media' in card && card.media ? media(card.media, ctx, card.title) : undefined;
      const content = strip({ media: m, title: card.title, description, suggestions: suggestionsOf(card.buttons, 'b', 'card.buttons', RCS_LIMITS.cardSuggestions, problems) });
      list.push({ contentType: MAAP_CONTENT_TYPES.botMessage, contentText: { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' }, content } } } });
    }
    const chips = suggestionsOf(card.suggestions, 's', 'card.suggestions', RCS_LIMITS.suggestions, problems);
    if (chips) list.push({ contentType: MAAP_CONTENT_TYPES.botSuggestion, contentText: { suggestions: chips } });
    if (problems.length) return { ok: false, problems };
    return { ok: true, kind: card.type === 'carousel' ? 'rcs-carousel' : 'rcs-card', body: { messageList: list } };
  }

  /** The registry's form: the messageList as JSON. @throws AppError RCS_LIMIT_EXCEEDED naming the first field. */
  render(card: Card, ctx: CardRenderContext): RenderedCard {
    const r = this.toMessage(card, ctx);
    if (!r.ok) throw limitError(r.problems);
    return { kind: this.kind, contentType: this.contentType, body: JSON.stringify(r.body) };
  }

  /** The plain-text rendering (fields, description) without the title line and without a link. */
  private description(card: Exclude<Card, { type: 'carousel' }>, ctx: CardRenderContext): string | undefined {
    const lines = this.text.render(card, { ...ctx, link: undefined }).body.split('\n');
    if (lines[0] === card.title) lines.shift();
    const text = lines.join('\n');
    return text === '' ? undefined : text;
  }
}

/** The AppError of a rendering that breaks 5G limits: the first problem's field, all of them in details. */
export function limitError(problems: RcsProblem[]): AppError {
  return new AppError(400, 'RCS_LIMIT_EXCEEDED', problems[0].message, problems[0].field, problems);
}

/** Drops undefined keys, so the JSON carries only what the card has. */
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
