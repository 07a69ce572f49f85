/**
 * Cards as 5G messages: every card type of the fixtures renders to botmessage JSON with the
 * suggestions mapped from its buttons, and every 5G limit is enforced with the card field named.
 */
import { describe, expect, it } from 'vitest';
import type { Card, CardButton, CarouselCard, CardType, ImageTextCard } from '../../../src/cards/card-model.js';
import { RcsCardRenderer } from '../../../src/cards/render/rcs-card-renderer.js';
import { defaultCardRenderers } from '../../../src/cards/render/card-renderers.js';
import { CARD_EXAMPLES } from '../../support/card-fixtures.js';

const renderer = new RcsCardRenderer();
const ctx = { mediaBaseUrl: 'https://cdn.acme.example/', lang: 'en' as const };
const card = <T extends Card = Card>(t: CardType) => structuredClone(CARD_EXAMPLES[t]) as T;
type Json = Record<string, any>;

function ok(c: Card): Json {
  const r = renderer.toMessage(c, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r as Json;
}
const problems = (c: Card) => {
  const r = renderer.toMessage(c, ctx);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
};
const gpc = (r: Json) => r.body.messageList[0].contentText.message.generalPurposeCard;

describe('rcs card renderer: every card type', () => {
  it.each(Object.keys(CARD_EXAMPLES) as CardType[])('when a %s card is rendered, then it is one botmessage with title, limits met and suggestions from its buttons', (type) => {
    const c = card(type);
    const r = ok(c);
    const [first, ...rest] = r.body.messageList;
    expect(first.contentType).toBe('application/vnd.gsma.botmessage.v1.0+json');
    if (c.type === 'carousel') {
      expect(r.kind).toBe('rcs-carousel');
      const carousel = first.contentText.message.generalPurposeCardCarousel;
      expect(carousel.layout).toEqual({ cardWidth: 'MEDIUM_WIDTH' });
      expect(carousel.content.map((x: Json) => x.title)).toEqual(c.cards.map((x) => x.title));
      expect(carousel.content[0].suggestions[0].action.postback.data).toBe('c0.b0');
    } else {
      expect(r.kind).toBe('rcs-card');
      const content = gpc(r).content;
      expect(content.title).toBe(c.title);
      expect(content.suggestions?.length ?? 0).toBe(c.buttons?.length ?? 0);
      for (const s of content.suggestions ?? []) expect((s.reply ?? s.action).displayText.length).toBeLessThanOrEqual(25);
    }
    // Chips only when the card has suggestions.
    expect(rest.map((x: Json) => x.contentType)).toEqual(c.suggestions?.length ? ['application/vnd.gsma.botsuggestion.v1.0+json'] : []);
    // The registry's form is the same JSON.
    expect(JSON.parse(defaultCardRenderers().render('rcs', c, ctx).body)).toEqual(r.body);
  });

  it('when an image-text card is rendered, then media URLs are absolute, heights mapped, and openUrl / dial / reply map to RBM suggestions', () => {
    const r = ok(card('image-text'));
    const content = gpc(r).content;
    expect(content.media).toEqual({
      mediaUrl: 'https://cdn.acme.example/m/med_abc123', mediaContentType: 'image/jpeg', mediaFileSize: 81234,
      thumbnailUrl: 'https://cdn.acme.example/m/med_abc124', thumbnailContentType: 'image/jpeg', thumbnailFileSize: 9000,
      height: 'MEDIUM_HEIGHT', contentDescription: 'Spring sale',
    });
    expect(content.description).toBe('Everything 20% off until Sunday.');
    expect(content.suggestions).toEqual([
      { action: { displayText: 'Shop now', postback: { data: 'b0' }, urlAction: { openUrl: { url: 'https://shop.acme.example/spring' } } } },
      { action: { displayText: 'Call us', postback: { data: 'b1' }, dialerAction: { dialPhoneNumber: { phoneNumber: '4008208820' } } } },
    ]);
    expect(r.body.messageList[1].contentText.suggestions).toEqual([{ reply: { displayText: 'Unsubscribe', postback: { data: 'unsub' } } }]);
  });

  it('when a coupon is rendered, then copyCode is a reply with a copyCode: postback, the mini-program its WeChat URL, and the code is in the description', () => {
    const content = gpc(ok(card('coupon'))).content;
    expect(content.suggestions[0]).toEqual({ reply: { displayText: 'Copy code', postback: { data: 'copyCode:SPRING20' } } });
    expect(content.suggestions[1].action.urlAction.openUrl.url).toMatch(/^weixin:\/\/dl\/business\/\?appid=wx1234567890abcdef/);
    expect(content.description).toContain('SPRING20');
    expect(content.description).not.toContain('A coupon for you');
  });

  it('when an openApp button has a fallbackUrl, then the suggestion opens it (a web page every handset opens)', () => {
    const content = gpc(ok(card('short-video'))).content;
    expect(content.suggestions[0].action.urlAction.openUrl.url).toBe('https://shop.acme.example/x2');
    expect(content.media).toMatchObject({ mediaContentType: 'video/mp4', thumbnailUrl: 'https://cdn.acme.example/v/launch.jpg' });
  });

  it('when a flight card is rendered, then its fields become the description (the plain-text template without the title)', () => {
    const d = gpc(ok(card('flight'))).content.description as string;
    expect(d.split('\n')[0]).toBe('CA1234 Air China (On time)');
    expect(d).toContain('PEK');
    expect(d).not.toContain('Your flight is confirmed');
  });
});

describe('rcs card renderer: limits', () => {
  const button = (text: string): CardButton => ({ type: 'reply', text });

  it('when a carousel card button label is 26 characters, then the problem names card.cards.3.buttons.1.text', () => {
    const c = card<CarouselCard>('carousel');
    c.cards.push(structuredClone(c.cards[0]));
    c.cards[3].buttons = [button('ok'), button('x'.repeat(26))];
    expect(problems(c)).toEqual([expect.objectContaining({ field: 'card.cards.3.buttons.1.text', rule: 'maxLength' })]);
  });

  it('when a carousel has 11 cards or 1 card, then card.cards is named', () => {
    const c = card<CarouselCard>('carousel');
    c.cards = Array.from({ length: 11 }, () => structuredClone(c.cards[0]));
    expect(problems(c)[0]).toMatchObject({ field: 'card.cards', rule: 'maxItems' });
    c.cards = c.cards.slice(0, 1);
    expect(problems(c)[0]).toMatchObject({ field: 'card.cards', rule: 'minItems' });
  });

  it('when a card has 5 buttons or 12 suggestions, then the list is named', () => {
    const c = card<ImageTextCard>('image-text');
    c.buttons = Array.from({ length: 5 }, (_, i) => button(`b${i}`));
    expect(problems(c)).toEqual([expect.objectContaining({ field: 'card.buttons', rule: 'maxItems' })]);
    const s = card<ImageTextCard>('image-text');
    s.suggestions = Array.from({ length: 12 }, (_, i) => button(`s${i}`));
    expect(problems(s)).toEqual([expect.objectContaining({ field: 'card.suggestions', rule: 'maxItems' })]);
  });

  it('when title, description or postback are over 200, 2,000 or 2,048 characters, then each is named', () => {
    const c = card<ImageTextCard>('image-text');
    c.title = 't'.repeat(201);
    c.description = 'd'.repeat(2001);
    c.suggestions = [{ type: 'reply', text: 'ok', postback: 'p'.repeat(2049) }];
    expect(problems(c).map((p) => p.field)).toEqual(['card.title', 'card.description', 'card.suggestions.0.postback']);
  });

  it('when the registry renders a card over a limit, then it throws RCS_LIMIT_EXCEEDED with the field', () => {
    const c = card<ImageTextCard>('image-text');
    c.title = 't'.repeat(201);
    expect(() => renderer.render(c, ctx)).toThrow(expect.objectContaining({ code: 'RCS_LIMIT_EXCEEDED', field: 'card.title', status: 400 }));
  });

  it('when a label is exactly 25 characters and a carousel has exactly 10 cards, then it renders', () => {
    const c = card<CarouselCard>('carousel');
    c.cards = Array.from({ length: 10 }, () => ({ ...structuredClone(c.cards[0]), buttons: [button('x'.repeat(25))] }));
    expect(ok(c).kind).toBe('rcs-carousel');
  });
});
