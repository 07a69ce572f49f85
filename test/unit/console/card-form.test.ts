/**
 * The card editor's form, generated from card-schemas/: every card type's form shows a valid card
 * and reads the same card back (as a browser would post it: hidden consts, selected options, only
 * the chosen variant's fields), rows and uploads are read as the editor needs, and problems land on
 * the input their path names.
 */
import { describe, expect, it } from 'vitest';
import { CARD_TYPES } from '../../../src/cards/card-model.js';
import { cardSchemas } from '../../../src/cards/card-schemas.js';
import { parseEditorForm, parseOp, type FormValues } from '../../../src/console/cards/card-form-parse.js';
import { CardFormSchemas, humanize } from '../../../src/console/cards/card-form-schema.js';
import { cardFormView, describeField, type FieldView } from '../../../src/console/cards/card-form-view.js';
import { CARD_EXAMPLES } from '../../support/card-fixtures.js';

const forms = new CardFormSchemas(cardSchemas());

/** What a browser posts for a form view: every enabled input's value. */
function post(fields: FieldView[], out: FormValues = {}): FormValues {
  for (const f of fields) {
    switch (f.kind) {
      case 'const': case 'text': case 'integer':
        out[f.name] = f.value as string;
        break;
      case 'enum':
        out[f.name] = (f.options as { value: string; selected: boolean }[]).find((o) => o.selected)?.value ?? '';
        break;
      case 'object':
        post([...(f.fields as FieldView[]), ...(f.details as FieldView[])], out);
        break;
      case 'choice': {
        post([f.tag as FieldView, ...(f.shared as FieldView[])], out);
        const on = (f.variants as { selected: boolean; fields: FieldView[]; details: FieldView[] }[]).find((v) => v.selected)!;
        post([...on.fields, ...on.details], out);
        break;
      }
      case 'list':
        post((f.rows as { field: FieldView }[]).map((r) => r.field), out);
        break;
    }
  }
  return out;
}

describe('card editor form', () => {
  it.each(CARD_TYPES)('when a %s card is shown in its form and posted back, then the same card is read', (type) => {
    // Arrange
    const card = structuredClone(CARD_EXAMPLES[type]) as unknown as Record<string, unknown>;
    const form = forms.form(type);

    // Act
    const values = post(cardFormView(form, card, []).fields);
    const parsed = parseEditorForm(form, { ...values, name: ' Name ', 'vars.0.name': 'x', 'vars.0.value': '1' }, new Map());

    // Assert
    expect(parsed.card).toEqual(card);
    expect(parsed).toMatchObject({ op: { kind: 'save' }, name: 'Name', sampleVariables: { x: '1' }, uploads: [] });
    expect(cardSchemas().check(parsed.card, 'template').ok).toBe(true);
  });

  it('when rows are left empty, then they are dropped, unless a row is being added or removed', () => {
    const form = forms.form('coupon');
    const values: FormValues = {
      'card.type': 'coupon', 'card.summary': '  Hi  ',
      'card.buttons.0.type': 'openUrl', 'card.buttons.0.text': '', 'card.buttons.0.url': '',
      'card.buttons.3.type': 'reply', 'card.buttons.3.text': 'Stop',
      'card.coupon.kind': '', 'card.coupon.amount': '',
      'vars.0.name': '', 'vars.0.value': '',
    };

    const saved = parseEditorForm(form, values, new Map());
    const adding = parseEditorForm(form, { ...values, op: 'add:card.buttons' }, new Map());

    expect(saved.card).toEqual({ type: 'coupon', version: 1, summary: 'Hi', buttons: [{ type: 'reply', text: 'Stop' }] });
    expect(saved.variableRows).toEqual([]);
    expect(adding.card.buttons).toEqual([{ type: 'openUrl' }, { type: 'reply', text: 'Stop' }]);
    expect(adding.variableRows).toEqual([{ name: '', value: '' }]);
  });

  it('when a number field holds text, then it is passed on as text for the schema to name', () => {
    const form = forms.form('image-text');

    const parsed = parseEditorForm(form, { 'card.type': 'image-text', 'card.media.kind': 'image', 'card.media.url': '/m/x', 'card.media.width': 'wide' }, new Map());

    expect(parsed.card.media).toEqual({ kind: 'image', url: '/m/x', width: 'wide' });
    expect(cardSchemas().check(parsed.card, 'template', 'card')).toMatchObject({ ok: false, problems: expect.arrayContaining([{ field: 'card.media.width', rule: 'type', message: 'must be integer' }]) });
  });

  it('when files are chosen, then each becomes a pending upload holding the object it fills, even an otherwise empty one', () => {
    const form = forms.form('carousel');
    const file = { filename: 'a.png', type: 'image/png', bytes: Buffer.from('x') };
    const values: FormValues = { 'card.type': 'carousel', 'card.cards.0.media.kind': 'image', 'card.cards.0.title': 'One', 'card.cards.1.media.kind': 'video', 'card.cards.1.title': 'Two' };

    const parsed = parseEditorForm(form, values, new Map([
      ['upload:image:card.cards.0.media', file],
      ['upload:thumbnail:card.cards.1.media.thumbnail', file],
    ]));

    expect(parsed.uploads.map((u) => [u.kind, u.path])).toEqual([['image', 'card.cards.0.media'], ['thumbnail', 'card.cards.1.media.thumbnail']]);
    const cards = parsed.card.cards as { media: Record<string, unknown> }[];
    expect(parsed.uploads[0].target).toBe(cards[0].media);
    expect(parsed.uploads[1].target).toBe(cards[1].media.thumbnail);
  });

  it('when problems are reported, then each sits on the input its path names and the summary links to it', () => {
    const form = forms.form('coupon');
    const card = { type: 'coupon', buttons: [{ type: 'copyCode', text: 'Copy' }] };

    const view = cardFormView(form, card, [
      { field: 'card.buttons.0.code', message: 'is required' },
      { field: 'card.title', message: 'is required' },
      { field: 'card.nothing', message: 'stray' },
    ]);

    const buttons = view.fields.find((f) => f.name === 'card.buttons')!;
    const row = (buttons.rows as { field: FieldView }[])[0].field;
    const copy = (row.variants as { value: string; fields: FieldView[] }[]).find((v) => v.value === 'copyCode')!;
    const openUrl = (row.variants as { value: string; fields: FieldView[] }[]).find((v) => v.value === 'openUrl')!;
    expect(copy.fields.find((f) => f.name === 'card.buttons.0.code')!.errors).toEqual(['is required']);
    expect(openUrl.fields.every((f) => f.errors.length === 0)).toBe(true);
    expect(view.summary).toEqual([
      { field: 'card.buttons.0.code', where: 'Buttons › 1 › Code', message: 'is required', href: '#f-card-buttons-0-code--copyCode' },
      { field: 'card.title', where: 'Title', message: 'is required', href: '#f-card-title' },
      { field: 'card.nothing', where: 'Nothing', message: 'stray', href: undefined },
    ]);
  });

  it('when an op is posted, then only known shapes are taken and anything else saves', () => {
    expect(parseOp('add:card.cards.1.buttons')).toEqual({ kind: 'add', path: 'card.cards.1.buttons' });
    expect(parseOp('remove:vars.3')).toEqual({ kind: 'remove', path: 'vars', index: 3 });
    expect(parseOp('preview')).toEqual({ kind: 'preview' });
    for (const bad of ['add:__proto__', 'remove:card.buttons', 'add:card..x', undefined, ['preview']]) expect(parseOp(bad)).toEqual({ kind: 'save' });
  });

  it('when paths and keys are shown, then they read as words', () => {
    expect(humanize('flightNumber')).toBe('Flight number');
    expect(humanize('validUntil')).toBe('Valid until');
    expect(describeField('sampleVariables.name')).toBe('Sample value of {{name}}');
    expect(describeField('vars.2.name')).toBe('Sample variables, row 3');
    expect(describeField('card.cards.0.media.thumbnail.url')).toBe('Cards › 1 › Media › Thumbnail › URL');
  });
});
