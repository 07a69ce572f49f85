/**
 * The smart-SMS, H5 and plain-text renderers on every card type (content, not snapshots), the
 * button URL builder, escaping of user values on the H5 page, and the registry.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CARD_TYPES, type Card, type CardType } from '../../../src/cards/card-model.js';
import { cardSchemas } from '../../../src/cards/card-schemas.js';
import { renderCardVariables } from '../../../src/cards/card-variables.js';
import { CardRendererRegistry, type ButtonRef, type CardRenderer } from '../../../src/cards/render/card-renderer.js';
import { defaultCardRenderers } from '../../../src/cards/render/card-renderers.js';
import { safeHref } from '../../../src/cards/render/card-view-model.js';
import { CARD_EXAMPLES, COUPON_SAMPLES, COUPON_TEMPLATE } from '../../support/card-fixtures.js';

const renderers = defaultCardRenderers();
const LINK = 'https://s.acme.example/Xy12Ab';
const ctx = { signature: '阿里云', link: LINK, lang: 'en' as const };

/** What each type must show (H5 page and plain text alike). */
const KEY_FIELDS: Record<CardType, string[]> = {
  'image-text': ['Spring sale', 'Everything 20% off until Sunday.'],
  coupon: ['A coupon for you', '¥', '20', 'Orders over ¥100', 'SPRING20', '2030-06-30', 'Coupon'],
  'short-video': ['Meet the X2', 'Lighter, faster, longer battery.'],
  flight: ['Your flight is confirmed', 'CA1234', 'Air China', 'PEK', 'SHA', '08:30', '10:45', '2030-05-01', '32A', 'C15', '07:50', 'K3X9QZ', '2h15min'],
  'train-ticket': ['Ticket booked', 'G1234', 'Beijing South', 'Shanghai Hongqiao', '08:00', '12:28', '05', '12F', 'Second class', 'A12', '4h28min'],
  'order-notice': ['On its way', 'Shipped', '2030-0042', 'SF Express', 'SF1234567890', '2030-05-03', '6-2-3301', 'Green tea 250 g', '¥128.00'],
  carousel: ['Green tea', '250 g, spring harvest', 'Tea set', 'Gift box'],
};

const card = (t: CardType) => structuredClone(CARD_EXAMPLES[t]);
const buttonsOf = (c: Card) => [...(c.type === 'carousel' ? c.cards.flatMap((x) => x.buttons ?? []) : c.buttons ?? []), ...(c.suggestions ?? [])];
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');

describe('smart-SMS renderer', () => {
  it.each(CARD_TYPES)('when a %s card is rendered, then the text is 【signature】, the summary and the caller\'s link', (type) => {
    const r = renderers.render('smart-sms', card(type), ctx);

    expect(r).toEqual({ kind: 'smart-sms', contentType: 'text/plain; charset=utf-8', body: `【阿里云】${CARD_EXAMPLES[type].summary} ${LINK}` });
  });

  it('when the caller gives a per-recipient placeholder and no signature, then both appear as given (no brackets)', () => {
    expect(renderers.render('smart-sms', card('coupon'), { link: '{{link}}' }).body).toBe('Your ¥20 coupon is waiting {{link}}');
  });
});

describe('plain-text renderer', () => {
  it.each(CARD_TYPES)('when a %s card is rendered, then its key fields are there, the link ends it, and no line is blank', (type) => {
    const body = renderers.render('text', card(type), ctx).body;

    for (const f of KEY_FIELDS[type]) expect(body, f).toContain(f);
    expect(body.split('\n').at(-1)).toBe(LINK);
    expect(body).not.toMatch(/\n\s*\n|^\s|\s$|<|&amp;/);
  });

  it('when the language is zh-CN, then the fixed labels are Chinese', () => {
    const body = renderers.render('text', card('coupon'), { ...ctx, lang: 'zh-CN' }).body;
    expect(body).toContain('优惠券 ¥20');
    expect(body).toContain('有效期至 2030-06-30');
    expect(body).toContain('券码: SPRING20');
  });

  it('when optional fields are absent, then their labels are absent too', () => {
    const c = card('flight');
    if (c.type !== 'flight') throw new Error('fixture');
    c.flight = { airline: c.flight.airline, flightNumber: c.flight.flightNumber, departure: c.flight.departure, arrival: c.flight.arrival };
    const body = renderers.render('text', c, ctx).body;
    expect(body).not.toMatch(/Seat|Gate|Passenger|Boarding/);
  });
});

describe('H5 renderer', () => {
  it.each(CARD_TYPES)('when a %s card is rendered, then it is one complete page with the key fields, media and every button', (type) => {
    const c = card(type);
    const r = renderers.render('h5', c, ctx);
    const html = r.body;

    expect(r.contentType).toBe('text/html; charset=utf-8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toMatch(/<\/body>\n<\/html>\n?$/);
    expect(html).toContain('<meta name="viewport"');
    for (const f of KEY_FIELDS[type]) expect(html, f).toContain(escapeHtml(f));
    for (const b of buttonsOf(c)) expect(html, b.text).toContain(`>${escapeHtml(b.text)}</a>`);
    const media = type === 'carousel' ? (c as Extract<Card, { type: 'carousel' }>).cards.map((x) => x.media) : 'media' in c && c.media ? [c.media] : [];
    for (const m of media) expect(html).toContain(`src="${escapeHtml(m.url)}"`);
  });

  it.each(CARD_TYPES)('when a %s page is read, then it loads nothing but the card\'s media: no stylesheets, scripts or fonts from elsewhere', (type) => {
    const html = renderers.render('h5', card(type), ctx).body;

    expect(html).not.toMatch(/<link|<script\s[^>]*src|@import|@font-face|<iframe/i);
    const loaded = [...html.matchAll(/\s(?:src|poster)="([^"]*)"/g)].map((m) => m[1]);
    const c = CARD_EXAMPLES[type];
    const allowed = JSON.stringify(c);
    for (const url of loaded) expect(allowed, url).toContain(url.replace(/&#x3D;/g, '='));
  });

  it('when the page is read, then its Content-Security-Policy allows exactly its inline style and script by hash', () => {
    const html = renderers.render('h5', card('coupon'), ctx).body;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('when a button URL builder is given, then every button goes through it with its id, place, target and postback', () => {
    const seen: ButtonRef[] = [];
    const html = renderers.render('h5', card('coupon'), { ...ctx, buttonUrl: (b, ref) => { seen.push(ref); return `/s/Xy12Ab/b/${ref.id}`; } }).body;

    expect(seen).toEqual([
      { id: 'b0', area: 'card', cardIndex: null, index: 0, target: null, postback: 'b0' },
      { id: 'b1', area: 'card', cardIndex: null, index: 1, target: 'weixin://dl/business/?appid=wx1234567890abcdef&path=pages%2Fcoupon%2Findex&query=c%3DSPRING20', postback: 'b1' },
    ]);
    expect(html).toContain('href="/s/Xy12Ab/b/b0" data-button="b0" data-copy="SPRING20"');
    expect(html).toContain('href="/s/Xy12Ab/b/b1" data-button="b1">Use it</a>');
    // The copy button does not navigate: the page copies and only pings the tracked URL.
    expect(html).toMatch(/data-button="b0"[^>]*data-ping/);
    expect(html).not.toMatch(/data-button="b1"[^>]*data-ping/);
  });

  it('when buttons sit on carousel cards and in suggestions, then their ids say where', () => {
    const ids: string[] = [];
    renderers.render('h5', card('carousel'), { buttonUrl: (_b, ref) => { ids.push(`${ref.id}:${ref.area}:${ref.cardIndex}`); return '#'; } });
    expect(ids).toEqual(['c0.b0:card:0', 'c1.b0:card:1', 's0:suggestion:null']);
  });

  it('when no builder is given, then buttons lead to their targets: tel without spaces, app fallback, reply as sms to replyTo', () => {
    const c = card('image-text') as Extract<Card, { type: 'image-text' }>;
    c.buttons = [
      { type: 'dial', text: 'Call', phoneNumber: '400-820 8820' },
      { type: 'openApp', text: 'App', deepLink: 'acmeshop://home', fallbackUrl: 'https://acme.example/app' },
      { type: 'openApp', text: 'App only', deepLink: 'acmeshop://home' },
      { type: 'reply', text: 'Yes please' },
    ];
    const html = renderers.render('h5', c, { replyTo: '10690001' }).body;

    expect(html).toContain('href="tel:4008208820"');
    expect(html).toContain('href="https://acme.example/app"');
    expect(html).toContain('href="acmeshop://home"');
    expect(html).toContain('href="sms:10690001?&amp;body&#x3D;Yes%20please"');
  });

  it('when mediaBaseUrl is given, then uploaded media paths become absolute and https media stay', () => {
    const html = renderers.render('h5', card('carousel'), { mediaBaseUrl: 'https://s.acme.example/' }).body;
    expect(html).toContain('src="https://s.acme.example/m/med_abc123"');
    expect(html).toContain('src="https://cdn.acme.example/v/launch.mp4"');
    expect(html).toContain('poster="https://cdn.acme.example/v/launch.jpg"');
  });
});

describe('H5 renderer escapes what users wrote', () => {
  const ATTACK = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';

  it('when template variables carry HTML, then the rendered page shows them as text and runs nothing', () => {
    const variables = { ...COUPON_SAMPLES, name: ATTACK, code: `X"onmouseover="alert(3)` };
    const checked = cardSchemas().check(renderCardVariables(COUPON_TEMPLATE, variables), 'send');
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));

    const html = renderers.render('h5', checked.card, ctx).body;

    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toMatch(/\sonerror=|\sonmouseover=/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
    expect(html).toContain('data-copy="X&quot;onmouseover&#x3D;&quot;alert(3)"');
    // The only script element is the page's own.
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('when HTML sits in every text field of every type, then no tag comes through', () => {
    for (const type of CARD_TYPES) {
      const c = JSON.parse(JSON.stringify(card(type), (k, v) => (typeof v === 'string' && ['title', 'description', 'text', 'city', 'station', 'name', 'status', 'condition', 'alt'].includes(k) ? `${v}${ATTACK}` : v)));
      const html = renderers.render('h5', c, ctx).body;
      expect(html, type).not.toContain('<script>alert');
      expect(html, type).not.toContain('<img src=x');
    }
  });

  it('when a builder returns a javascript: or data: URL, then the href is # instead', () => {
    const html = renderers.render('h5', card('image-text'), { buttonUrl: (_b, ref) => (ref.index === 0 ? 'javascript:alert(1)' : ' data:text/html,x') }).body;
    expect(html).not.toMatch(/href="\s*(javascript|data):/i);
    expect(html.match(/href="#"/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('when hrefs are screened, then web, phone, sms, app and relative links pass and script schemes do not', () => {
    for (const ok of ['https://a.example/x', 'http://a.example', 'tel:10086', 'sms:1?&body=x', 'acmeshop://home', 'weixin://dl/business/?appid=x', '/s/abc/b/b0', '#'])
      expect(safeHref(ok), ok).toBe(ok);
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:x', ' javascript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '//evil.example', 'relative/path'])
      expect(safeHref(bad), bad).toBe('#');
  });
});

describe('renderer registry', () => {
  it('when the default registry is read, then it has the four forms, and renderAll gives each', () => {
    expect(renderers.kinds()).toEqual(['smart-sms', 'h5', 'text', 'rcs']);
    const all = renderers.renderAll(card('image-text'), ctx);
    expect(Object.keys(all)).toEqual(['smart-sms', 'h5', 'text', 'rcs']);
    expect(all.h5.kind).toBe('h5');
  });

  it('when a new renderer (the 5G JSON one, say) is registered, then it renders next to the others; a second one of a kind is refused', () => {
    const json: CardRenderer = { kind: 'rcs-json', contentType: 'application/json', render: (c) => ({ kind: 'rcs-json', contentType: 'application/json', body: JSON.stringify({ title: 'title' in c ? c.title : c.summary }) }) };
    const reg = defaultCardRenderers().register(json);

    expect(reg.render('rcs-json', card('image-text')).body).toBe('{"title":"Spring sale"}');
    expect(() => reg.register(json)).toThrow(/registered twice/);
    expect(() => new CardRendererRegistry().render('h5', card('coupon'))).toThrow(/no card renderer h5/);
  });
});
