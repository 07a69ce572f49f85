/**
 * Renderers turn one validated card into a form a terminal takes: the smart-SMS text with its
 * parse link, the H5 page, a plain-text fallback, and later the 5G (RCS) JSON. Each is a
 * `CardRenderer` registered by kind; callers ask the registry, so adding a form is one new
 * renderer and one `register` call.
 */
import type { Card, CardButton } from '../card-model.js';

/** Where a button sits and what tapping it does when nothing tracks it. */
export interface ButtonRef {
  /** Stable within the card: `b1` (card button 1), `c2.b0` (carousel card 2, button 0), `s3` (suggestion 3). */
  id: string;
  area: 'card' | 'suggestion';
  /** Carousel card index; null on single cards and for suggestions. */
  cardIndex: number | null;
  index: number;
  /**
   * Where the tap leads on a web page: the URL, `tel:`, the app or mini-program link (or its
   * fallbackUrl), `sms:` for a reply when `replyTo` is known; null for copyCode and such replies
   * (the page does the action itself and only pings the button URL).
   */
  target: string | null;
  /** The button's postback, or its id when it has none. */
  postback: string;
}

/** What a renderer needs besides the card. Every field is optional. */
export interface CardRenderContext {
  /** The account's signature without 【】 (smart-SMS text). */
  signature?: string;
  /** The parse / short link put in the smart-SMS and plain texts, verbatim (a per-recipient placeholder is fine). */
  link?: string;
  /**
   * The href of each button on the H5 page, e.g. a tracking redirect `/s/{code}/b/{ref.id}` that
   * records the click and then goes to `ref.target`. Default: `ref.target`, or `#`.
   */
  buttonUrl?: (button: CardButton, ref: ButtonRef) => string;
  /** Prefix for uploaded media paths (`/m/{id}`), e.g. `https://s.example.com` when the page is served elsewhere. */
  mediaBaseUrl?: string;
  /** The number reply buttons text (an `sms:` link on the H5 page). */
  replyTo?: string;
  /** Fixed labels' language on the H5 page and in the plain text; default zh-CN. */
  lang?: 'zh-CN' | 'en';
}

/** One rendering. */
export interface RenderedCard {
  /** The renderer's kind, e.g. `h5`. */
  kind: string;
  /** MIME type of `body`, e.g. `text/html; charset=utf-8`. */
  contentType: string;
  body: string;
}

/** A form of a card; pure (no I/O), safe to call per recipient. */
export interface CardRenderer {
  readonly kind: string;
  readonly contentType: string;
  render(card: Card, ctx: CardRenderContext): RenderedCard;
}

/** The renderers by kind; `renderAll` gives every form (previews). */
export class CardRendererRegistry {
  private readonly byKind = new Map<string, CardRenderer>();

  register(renderer: CardRenderer): this {
    if (this.byKind.has(renderer.kind)) throw new Error(`card renderer ${renderer.kind} is registered twice`);
    this.byKind.set(renderer.kind, renderer);
    return this;
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  get(kind: string): CardRenderer {
    const r = this.byKind.get(kind);
    if (!r) throw new Error(`no card renderer ${kind} (registered: ${this.kinds().join(', ')})`);
    return r;
  }

  render(kind: string, card: Card, ctx: CardRenderContext = {}): RenderedCard {
    return this.get(kind).render(card, ctx);
  }

  renderAll(card: Card, ctx: CardRenderContext = {}): Record<string, RenderedCard> {
    return Object.fromEntries(this.kinds().map((k) => [k, this.render(k, card, ctx)]));
  }
}
