/**
 * The card schemas of card-schemas/ on the one validator: a valid and broken example of every
 * card type, the RCS limits, {{variables}} at template time against the full rules at send time,
 * and the 400 shape (dotted field, rule) the problems map to.
 */
import { describe, expect, it } from 'vitest';
import { CARD_TYPES, type CardType } from '../../../src/cards/card-model.js';
import { cardSchemas, readCardSchemaFiles } from '../../../src/cards/card-schemas.js';
import { CARD_IMAGE_LIMITS } from '../../../src/cards/card-image.js';
import { dottedField, validationError } from '../../../src/cards/json-validator.js';
import { CARD_EXAMPLES, COUPON_TEMPLATE } from '../../support/card-fixtures.js';

type Json = Record<string, any>; // cards edited by path in tests
const example = (t: CardType): Json => structuredClone(CARD_EXAMPLES[t]) as Json;
const schemas = cardSchemas();
const problems = (card: unknown, mode: 'template' | 'send' = 'send') => {
  const r = schemas.check(card, mode, 'card');
  return r.ok ? [] : r.problems;
};
const fields = (card: unknown, mode: 'template' | 'send' = 'send') => problems(card, mode).map((p) => `${p.field} ${p.rule}`);
const button = (i: number) => ({ type: 'openUrl', text: `Go ${i}`, url: `https://acme.example/${i}` });

/** One broken example per card type: what is changed, and the field and rule that must be named. */
const BROKEN: Record<CardType, { change: (c: Json) => void; expect: string }> = {
  'image-text': { change: (c) => { c.media.kind = 'video'; c.media.mime = 'video/mp4'; }, expect: 'card.media.kind const' },
  coupon: { change: (c) => { c.coupon.validUntil = '30/06/2030'; }, expect: 'card.coupon.validUntil format' },
  'short-video': { change: (c) => { delete c.media.thumbnail; }, expect: 'card.media.thumbnail required' },
  flight: { change: (c) => { c.flight.departure.airport = 'Beijing'; }, expect: 'card.flight.departure.airport pattern' },
  'train-ticket': { change: (c) => { c.train.arrival.time = 'noon'; }, expect: 'card.train.arrival.time format' },
  'order-notice': { change: (c) => { c.order.stage = 'lost'; }, expect: 'card.order.stage enum' },
  carousel: { change: (c) => { c.cards = c.cards.slice(0, 1); }, expect: 'card.cards minItems' },
};

describe('card schemas: one valid and one broken example per card type', () => {
  it('when the schema files are read, then every card type has a versioned schema whose $id names its file', () => {
    const files = readCardSchemaFiles();
    expect(files.filter((f) => f.type).map((f) => `${f.type}.v${f.version}`).sort()).toEqual(CARD_TYPES.map((t) => `${t}.v1`).sort());
    expect(files.map((f) => f.file)).toContain('common.v1.json');
    for (const f of files) expect(f.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each(CARD_TYPES)('when a complete %s card is checked, then it is valid at send and at template time', (type) => {
    expect(fields(example(type), 'send')).toEqual([]);
    expect(fields(example(type), 'template')).toEqual([]);
  });

  it.each(CARD_TYPES)('when a %s card breaks a rule of its type, then the problem names the field and the rule', (type) => {
    const card = example(type);
    BROKEN[type].change(card);

    expect(fields(card)).toContain(BROKEN[type].expect);
  });

  it('when version is left out, then the latest schema applies and the checked card carries it', () => {
    const { version: _v, ...card } = example('coupon');
    const r = schemas.check(card, 'send');
    expect(r.ok && r.card.version).toBe(1);
  });

  it('when the type is unknown or the version does not exist, then type or version is named', () => {
    expect(problems({ ...example('coupon'), type: 'poster' })).toEqual([expect.objectContaining({ field: 'card.type', rule: 'enum' })]);
    expect(problems({ ...example('coupon'), version: 7 })).toEqual([expect.objectContaining({ field: 'card.version', rule: 'enum', message: expect.stringContaining('1') })]);
    expect(problems('a card')).toEqual([expect.objectContaining({ field: 'card', rule: 'type' })]);
  });
});

describe('card schemas: RCS limits', () => {
  it('when a card has 5 buttons, then buttons maxItems is broken; 4 pass', () => {
    const card = example('image-text');
    card.buttons = [1, 2, 3, 4].map(button);
    expect(fields(card)).toEqual([]);
    card.buttons.push(button(5));
    expect(fields(card)).toEqual(['card.buttons maxItems']);
  });

  it('when a card has 12 suggestions, then suggestions maxItems is broken; 11 pass', () => {
    const card = example('image-text');
    card.suggestions = Array.from({ length: 11 }, (_, i) => button(i));
    expect(fields(card)).toEqual([]);
    card.suggestions.push(button(12));
    expect(fields(card)).toEqual(['card.suggestions maxItems']);
  });

  it('when button text is 26 characters or a postback 2049, then each is named; 25 and 2048 pass', () => {
    const card = example('image-text');
    card.buttons[0].text = '一'.repeat(25);
    card.buttons[0].postback = 'p'.repeat(2048);
    expect(fields(card)).toEqual([]);
    card.buttons[0].text += 'x';
    card.buttons[0].postback += 'p';
    expect(fields(card)).toEqual(['card.buttons.0.text maxLength', 'card.buttons.0.postback maxLength']);
  });

  it('when a title is 201 characters or a description 2001, then each is named', () => {
    const card = example('image-text');
    card.title = 't'.repeat(201);
    card.description = 'd'.repeat(2001);
    expect(fields(card)).toEqual(['card.title maxLength', 'card.description maxLength']);
  });

  it('when a carousel has 11 cards, then cards maxItems is broken; 10 pass', () => {
    const card = example('carousel');
    card.cards = Array.from({ length: 10 }, () => structuredClone(card.cards[0]));
    expect(fields(card)).toEqual([]);
    card.cards.push(structuredClone(card.cards[0]));
    expect(fields(card)).toEqual(['card.cards maxItems']);
  });

  it('when a carousel card has a broken button deep inside, then the dotted path reaches it', () => {
    const card = example('carousel');
    card.cards[1].buttons[0] = { type: 'dial', text: 'Call', phoneNumber: 'call me' };
    expect(fields(card)).toEqual(['card.cards.1.buttons.0.phoneNumber pattern']);
  });

  it('when the summary holds 【】, then the pattern is broken (only the signature may use them)', () => {
    expect(fields({ ...example('coupon'), summary: '【Sale】 20% off' })).toEqual(['card.summary pattern']);
  });

  it('when each button type misses its target, then the missing field is named', () => {
    const cases: [Json, string][] = [
      [{ type: 'openUrl', text: 'a' }, 'url'], [{ type: 'openApp', text: 'a' }, 'deepLink'], [{ type: 'openMiniProgram', text: 'a', path: '' }, 'appId'],
      [{ type: 'dial', text: 'a' }, 'phoneNumber'], [{ type: 'copyCode', text: 'a' }, 'code'], [{ type: 'reply' }, 'text'],
    ];
    for (const [b, missing] of cases) {
      const card = example('image-text');
      card.buttons = [b];
      expect(fields(card), b.type).toEqual([`card.buttons.0.${missing} required`]);
    }
  });

  it('when a button has an unknown type or a stray field, then the type or the field is named', () => {
    const card = example('image-text');
    card.buttons = [{ type: 'share', text: 'a' }, { ...button(1), color: 'red' }];
    expect(problems(card)).toEqual([
      expect.objectContaining({ field: 'card.buttons.0.type', rule: 'enum' }),
      expect.objectContaining({ field: 'card.buttons.1.color', rule: 'additionalProperties' }),
    ]);
  });

  it('when links use javascript: or an http page as an app link, then only the unsafe one fails', () => {
    const card = example('image-text');
    card.buttons = [
      { type: 'openApp', text: 'a', deepLink: 'JavaScript:alert(1)' },
      { type: 'openApp', text: 'b', deepLink: 'https://acme.example/app' },
      { type: 'openUrl', text: 'c', url: 'ftp://acme.example/x' },
    ];
    expect(fields(card)).toEqual(['card.buttons.0.deepLink pattern', 'card.buttons.2.url pattern']);
  });

  it('when media is an http URL or a foreign path, then it fails; https and /m/{id} pass', () => {
    const card = example('image-text');
    card.media.url = 'http://acme.example/a.jpg';
    expect(fields(card)).toEqual(['card.media.url pattern']);
    card.media.url = '/uploads/a.jpg';
    expect(fields(card)).toEqual(['card.media.url pattern']);
    card.media.url = 'https://acme.example/a.jpg';
    expect(fields(card)).toEqual([]);
  });

  it('when the upload limits are compared with the schema, then processed images and thumbnails always fit the media rules', () => {
    const common = readCardSchemaFiles().find((f) => f.file === 'common.v1.json')!.schema.$defs as Json;
    expect(CARD_IMAGE_LIMITS.image.maxBytes).toBeLessThanOrEqual(common.image.properties.size.maximum);
    expect(Math.max(CARD_IMAGE_LIMITS.image.maxWidth, CARD_IMAGE_LIMITS.image.maxHeight)).toBeLessThanOrEqual(common.image.properties.width.maximum);
    expect(CARD_IMAGE_LIMITS.thumbnail.maxBytes).toBeLessThanOrEqual(common.thumbnail.properties.size.maximum);
    expect(CARD_IMAGE_LIMITS.thumbnail.maxWidth).toBeLessThanOrEqual(common.thumbnail.properties.width.maximum);
  });
});

describe('card schemas: {{variables}} at template time, every rule at send time', () => {
  it('when a template holds variables in a URL, a date, a code and the title, then it passes in template mode only', () => {
    expect(fields(COUPON_TEMPLATE, 'template')).toEqual([]);
    expect(fields(COUPON_TEMPLATE, 'send')).toEqual(expect.arrayContaining(['card.coupon.validUntil format', 'card.buttons.1.url format']));
  });

  it('when a whole field is one variable (flight number, airport, time), then template mode waits for the rendered value', () => {
    const card = example('flight');
    Object.assign(card.flight, { flightNumber: '{{flightNo}}', boardingTime: '{{boarding}}' });
    card.flight.departure.airport = '{{from}}';
    card.buttons[0].url = '{{checkInUrl}}';
    expect(fields(card, 'template')).toEqual([]);
  });

  it('when a template field without variables breaks its format, then template mode names it too', () => {
    const card = structuredClone(COUPON_TEMPLATE) as Json;
    card.buttons[1].url = 'not a url';
    expect(fields(card, 'template').sort()).toEqual(['card.buttons.1.url format', 'card.buttons.1.url pattern']);
  });

  it('when the fixed text around variables is over a limit, then template mode counts it without the variables', () => {
    const card = structuredClone(COUPON_TEMPLATE) as Json;
    card.buttons[0].text = '{{verb}} your lovely code now!!';
    expect(fields(card, 'template')).toEqual([]);
    card.buttons[0].text = '{{verb}} your lovely coupon code now!!';
    expect(problems(card, 'template')).toEqual([expect.objectContaining({ field: 'card.buttons.0.text', rule: 'maxLength', message: expect.stringContaining('not counting {{variables}}') })]);
  });

  it('when a variable sits in a type, kind or mime, then it is refused: those values never vary', () => {
    const card = structuredClone(COUPON_TEMPLATE) as Json;
    card.coupon.kind = '{{kind}}';
    card.buttons[0].type = '{{t}}';
    expect(fields(card, 'template')).toEqual(['card.buttons.0.type enum', 'card.coupon.kind enum']);
  });
});

describe('schema problems in the platform 400 shape', () => {
  it('when a JSON pointer is turned into a field, then segments are dotted and ~1 ~0 unescaped', () => {
    expect(dottedField('/cards/0/buttons/1/url', 'card')).toBe('card.cards.0.buttons.1.url');
    expect(dottedField('/a~1b/c~0d')).toBe('a/b.c~d');
    expect(dottedField('', 'card')).toBe('card');
  });

  it('when problems become an error, then it is VALIDATION_FAILED naming the first field and listing all', () => {
    const card = example('image-text');
    card.title = '';
    card.buttons[0].url = 'nope';
    const err = validationError(problems(card));

    expect(err.toJSON()).toEqual({
      error: {
        code: 'VALIDATION_FAILED', field: 'card.title', message: 'card.title: must NOT have fewer than 1 characters (and 2 more problems in details)',
        details: [
          { field: 'card.title', rule: 'minLength', message: 'must NOT have fewer than 1 characters' },
          { field: 'card.buttons.0.url', rule: 'pattern', message: 'must match pattern "^https?://"' },
          { field: 'card.buttons.0.url', rule: 'format', message: 'must match format "uri"' },
        ],
      },
    });
    expect(err.status).toBe(400);
  });
});
