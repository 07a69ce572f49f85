/** {{variables}} in card templates: which a card uses, the syntax allowed, and how values go in. */
import { describe, expect, it } from 'vitest';
import { cardVariables, renderCardVariables } from '../../../src/cards/card-variables.js';
import { AppError } from '../../../src/http/app-error.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../../support/card-fixtures.js';

type Json = Record<string, any>; // rendered cards read by path

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).toJSON().error;
  }
  throw new Error('did not throw');
};

describe('card template variables', () => {
  it('when a card uses variables in several fields, then each name is listed once, in first-use order', () => {
    expect(cardVariables(COUPON_TEMPLATE)).toEqual(['name', 'amount', 'expiry', 'code']);
  });

  it('when a field uses a helper, a block or a path, then TEMPLATE_SYNTAX names that field', () => {
    const card = structuredClone(COUPON_TEMPLATE) as Json;
    card.buttons[1].url = 'https://acme.example/{{#if vip}}vip{{/if}}';

    expect(thrown(() => cardVariables(card))).toMatchObject({ code: 'TEMPLATE_SYNTAX', field: 'card.buttons.1.url' });
    expect(thrown(() => cardVariables({ title: '{{user.name}}' }))).toMatchObject({ code: 'TEMPLATE_SYNTAX', field: 'card.title' });
  });

  it('when values are rendered, then text takes them as written and the card keeps its other fields', () => {
    const card = renderCardVariables(COUPON_TEMPLATE, COUPON_SAMPLES) as Json;

    expect(card).toMatchObject({ type: 'coupon', summary: 'Li Lei, your ¥20 coupon is waiting', title: 'A coupon for Li Lei' });
    expect(card.coupon).toEqual({ kind: 'coupon', amount: '20', currency: '¥', code: 'SPRING20', validUntil: '2030-06-30' });
    expect(COUPON_TEMPLATE.title).toBe('A coupon for {{name}}');
  });

  it('when a value goes inside a URL, then it is percent-encoded; a URL that is one whole variable takes the value as is', () => {
    const card = structuredClone(COUPON_TEMPLATE) as Json;
    card.buttons.push({ type: 'openUrl', text: 'Mine', url: '{{myUrl}}' });
    const out = renderCardVariables(card, { ...COUPON_SAMPLES, code: 'A B&c=1', myUrl: 'https://acme.example/me?x=1&y=2' }) as Json;

    expect(out.buttons[1].url).toBe('https://shop.acme.example/redeem?c=A%20B%26c%3D1');
    expect(out.buttons[2].url).toBe('https://acme.example/me?x=1&y=2');
    expect(out.buttons[0].code).toBe('A B&c=1');
  });

  it('when a value is missing, then TEMPLATE_VARIABLE_MISSING names variables.<name>', () => {
    const { code: _c, ...partial } = COUPON_SAMPLES;
    expect(thrown(() => renderCardVariables(COUPON_TEMPLATE, partial))).toMatchObject({ code: 'TEMPLATE_VARIABLE_MISSING', field: 'variables.code' });
  });

  it('when a value itself contains {{braces}}, then it is printed literally, not rendered again', () => {
    const out = renderCardVariables(COUPON_TEMPLATE, { ...COUPON_SAMPLES, name: '{{code}}' }) as Json;
    expect(out.title).toBe('A coupon for {{code}}');
  });
});
