/**
 * What the card templates under templates/cards/ read: the card's own fields plus what is derived
 * from them (button hrefs through the caller's URL builder, media URLs, clock times, durations,
 * the order's progress) and the labels of the context's language. Values stay raw here; the H5
 * templates escape at output.
 */
import type { Card, CardButton, CardMedia } from '../card-model.js';
import { ORDER_STAGES } from '../card-model.js';
import type { ButtonRef, CardRenderContext } from './card-renderer.js';
import { CARD_LABELS, type CardLabels } from './card-labels.js';

export interface ButtonView {
  id: string;
  text: string;
  type: CardButton['type'];
  href: string;
  /** copyCode: the code the page copies. */
  code?: string;
  /** False when the tap does not leave the page (copyCode, reply without replyTo): the page pings href instead. */
  navigates: boolean;
}

export interface MediaView {
  isVideo: boolean;
  src: string;
  mime: string;
  poster?: string;
  alt: string;
  heightClass: string;
}

export interface WhenView {
  iso: string;
  date: string;
  clock: string;
}

export type CardView = Record<string, unknown> & { labels: CardLabels; lang: string; buttons: ButtonView[]; suggestions: ButtonView[] };

// Schemes a browser may follow from the H5 page; anything else (javascript:, data:, …) becomes '#'.
const SAFE_HREF = /^(https?:|tel:|sms:|weixin:|#|\/(?!\/))/i;
const UNSAFE_SCHEME = /^\s*(javascript|data|vbscript|file):/i;

/** The href a builder returned, unless it is a scheme a page must never follow. */
export function safeHref(href: string): string {
  if (SAFE_HREF.test(href)) return href;
  return UNSAFE_SCHEME.test(href) || !/^[a-z][a-z0-9+.-]*:/i.test(href) ? '#' : href;
}

/** Where a button leads on a web page when nothing tracks it (see ButtonRef.target). */
export function buttonTarget(b: CardButton, replyTo?: string): string | null {
  switch (b.type) {
    case 'openUrl': return b.url;
    case 'openApp': return b.fallbackUrl ?? b.deepLink;
    case 'openMiniProgram': {
      if (b.fallbackUrl) return b.fallbackUrl;
      const [path, query = ''] = b.path.split('?', 2);
      return `weixin://dl/business/?appid=${encodeURIComponent(b.appId)}&path=${encodeURIComponent(path)}&query=${encodeURIComponent(query)}`;
    }
    case 'dial': return `tel:${b.phoneNumber.replace(/[\s-]/g, '')}`;
    case 'copyCode': return null;
    case 'reply': return replyTo ? `sms:${replyTo}?&body=${encodeURIComponent(b.text)}` : null;
  }
}

function buttonViews(buttons: CardButton[] | undefined, ctx: CardRenderContext, at: (i: number) => Omit<ButtonRef, 'target' | 'postback'>): ButtonView[] {
  return (buttons ?? []).map((b, i) => {
    const place = at(i);
    const ref: ButtonRef = { ...place, target: buttonTarget(b, ctx.replyTo), postback: b.postback ?? place.id };
    const href = ctx.buttonUrl ? ctx.buttonUrl(b, ref) : (ref.target ?? '#');
    return { id: ref.id, text: b.text, type: b.type, href: safeHref(href), navigates: ref.target !== null, ...(b.type === 'copyCode' ? { code: b.code } : {}) };
  });
}

const HEIGHT_CLASS = { SHORT: 'h-short', MEDIUM: 'h-medium', TALL: 'h-tall' } as const;

/** An uploaded media path (`/m/{id}`) made absolute with the context's mediaBaseUrl; other URLs as they are. */
export function mediaUrl(url: string, ctx: CardRenderContext): string {
  return ctx.mediaBaseUrl && url.startsWith('/m/') ? ctx.mediaBaseUrl.replace(/\/+$/, '') + url : url;
}

export function mediaView(m: CardMedia | undefined, ctx: CardRenderContext, fallbackAlt: string): MediaView | undefined {
  if (!m) return undefined;
  return {
    isVideo: m.kind === 'video',
    src: mediaUrl(m.url, ctx),
    mime: m.mime,
    poster: m.thumbnail ? mediaUrl(m.thumbnail.url, ctx) : undefined,
    alt: m.alt ?? fallbackAlt,
    heightClass: HEIGHT_CLASS[m.displayHeight ?? 'MEDIUM'],
  };
}

/** `2030-05-01T08:30:00+08:00` → date 2030-05-01, clock 08:30: the time as written, in its own zone. */
export function when(iso: string | undefined): WhenView | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})/.exec(iso);
  return { iso, date: m?.[1] ?? iso, clock: m?.[2] ?? '' };
}

function duration(fromIso: string, toIso: string, labels: CardLabels): string | undefined {
  const minutes = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
  if (!Number.isFinite(minutes) || minutes <= 0) return undefined;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h ? `${h}${labels.hours}` : ''}${m ? `${m}${labels.minutes}` : ''}`;
}

/** The view of a card for the templates of templates/cards/. */
export function cardView(card: Card, ctx: CardRenderContext): CardView {
  const labels = CARD_LABELS[ctx.lang ?? 'zh-CN'];
  const base = { ...card, labels, lang: ctx.lang ?? 'zh-CN', link: ctx.link, signature: ctx.signature };
  const view = typeView(card, ctx, labels);
  // After the card's own buttons, so a URL builder sees them in page order.
  const suggestions = buttonViews(card.suggestions, ctx, (i) => ({ id: `s${i}`, area: 'suggestion', cardIndex: null, index: i }));
  return { ...base, ...view, suggestions };
}

function typeView(card: Card, ctx: CardRenderContext, labels: CardLabels): Record<string, unknown> & { buttons: ButtonView[] } {
  const single = (buttons: CardButton[] | undefined) => buttonViews(buttons, ctx, (i) => ({ id: `b${i}`, area: 'card', cardIndex: null, index: i }));
  switch (card.type) {
    case 'carousel':
      return {
        buttons: [],
        cards: card.cards.map((c, ci) => ({
          ...c,
          n: ci + 1,
          media: mediaView(c.media, ctx, c.title),
          buttons: buttonViews(c.buttons, ctx, (i) => ({ id: `c${ci}.b${i}`, area: 'card', cardIndex: ci, index: i })),
        })),
      };
    case 'flight': {
      const f = card.flight;
      return {
        buttons: single(card.buttons),
        flight: {
          ...f,
          departure: { ...f.departure, when: when(f.departure.time) },
          arrival: { ...f.arrival, when: when(f.arrival.time) },
          boarding: when(f.boardingTime),
          duration: duration(f.departure.time, f.arrival.time, labels),
        },
      };
    }
    case 'train-ticket': {
      const t = card.train;
      return {
        buttons: single(card.buttons),
        train: {
          ...t,
          departure: { ...t.departure, when: when(t.departure.time) },
          arrival: { ...t.arrival, when: when(t.arrival.time) },
          duration: duration(t.departure.time, t.arrival.time, labels),
        },
      };
    }
    case 'order-notice': {
      const o = card.order;
      // Progress marks: the normal path up to delivery; cancelled and returned orders show no track.
      const path = ORDER_STAGES.slice(0, 6);
      const reached = o.stage ? path.indexOf(o.stage as (typeof path)[number]) : -1;
      return {
        buttons: single(card.buttons), media: mediaView(card.media, ctx, card.title),
        order: { ...o, stageLabel: o.stage ? labels.stages[o.stage] : undefined },
        progress: reached < 0 ? [] : path.map((s, i) => ({ label: labels.stages[s], done: i <= reached, current: i === reached })),
      };
    }
    case 'coupon':
      return {
        buttons: single(card.buttons), media: mediaView(card.media, ctx, card.title),
        coupon: { ...card.coupon, kindLabel: card.coupon.kind === 'redPacket' ? labels.redPacket : labels.coupon },
      };
    default:
      return { buttons: single(card.buttons), media: mediaView(card.media, ctx, card.title) };
  }
}
