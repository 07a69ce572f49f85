/**
 * Card templates on both engines: the review workflow (draft → submitted → approved | rejected →
 * edited → submitted again), tenant isolation, what a send may render, and uploaded images stored
 * as bytea and read back byte for byte.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../../src/accounts/account.repository.js';
import { CardMediaRepository } from '../../../src/cards/card-media.repository.js';
import { CardMediaService } from '../../../src/cards/card-media.service.js';
import { CardTemplateRepository } from '../../../src/cards/card-template.repository.js';
import { CardTemplateService, type CardTemplateInput } from '../../../src/cards/card-template.service.js';
import { defaultCardRenderers } from '../../../src/cards/render/card-renderers.js';
import type { Db } from '../../../src/db/db-client.js';
import type { AppError } from '../../../src/http/app-error.js';
import { CARD_EXAMPLES, COUPON_SAMPLES, COUPON_TEMPLATE } from '../../support/card-fixtures.js';
import { engines, openTestDb } from '../../support/databases.js';

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as AppError;
    return { status: e.status, code: e.code, field: e.field, details: e.details };
  }
  throw new Error('did not throw');
};

const coupon = (over: Partial<CardTemplateInput> = {}): CardTemplateInput => ({
  name: 'Spring coupon', card: structuredClone(COUPON_TEMPLATE), sampleVariables: { ...COUPON_SAMPLES }, ...over,
});

describe.each(engines)('card templates on %s', (engine) => {
  let db: Db;
  let accounts: AccountRepository;
  let service: CardTemplateService;
  let media: CardMediaService;
  const newAccount = async (name: string) => (await accounts.create({ name })).account.id;

  beforeAll(async () => {
    db = await openTestDb(engine);
    accounts = new AccountRepository(db);
    service = new CardTemplateService({ repo: new CardTemplateRepository(db), renderers: defaultCardRenderers() });
    media = new CardMediaService({ repo: new CardMediaRepository(db), templates: service });
  });
  afterAll(async () => db?.close());

  it('when a template is created, then it is a draft with its type, version, variables, samples and a created entry', async () => {
    const acc = await newAccount('create');

    const t = await service.create(acc, coupon());

    expect(t).toMatchObject({
      accountId: acc, name: 'Spring coupon', type: 'coupon', version: 1, status: 'draft', rejectionReason: null,
      variables: ['name', 'amount', 'expiry', 'code'], sampleVariables: COUPON_SAMPLES, submittedAt: null, decidedAt: null,
    });
    expect(t.card).toEqual({ ...COUPON_TEMPLATE, version: 1 });
    expect(t.history).toEqual([{ at: t.createdAt, by: `account:${acc}`, action: 'created', from: null, to: 'draft', reason: null }]);
    expect(await service.get(acc, t.id)).toEqual(t);
  });

  it('when a card breaks its schema, then nothing is stored and the field is named', async () => {
    const acc = await newAccount('invalid');
    const card = { ...structuredClone(COUPON_TEMPLATE), coupon: { kind: 'voucher', amount: '5', validUntil: '2030-01-01' } };

    expect(await rejection(service.create(acc, coupon({ card })))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', field: 'card.coupon.kind' });
    expect(await service.list(acc, { limit: 10 })).toEqual([]);
  });

  it('when a template goes draft → submitted → rejected → edited → submitted → approved, then each step is logged and only approved renders for send', async () => {
    const acc = await newAccount('workflow');
    const t = await service.create(acc, coupon());
    expect(await rejection(service.renderForSend(acc, t.id, COUPON_SAMPLES))).toMatchObject({ status: 409, code: 'CARD_TEMPLATE_NOT_APPROVED', details: { status: 'draft' } });

    const submitted = await service.submit(acc, t.id);
    expect(submitted).toMatchObject({ status: 'submitted', submittedAt: expect.any(String) });
    expect(await rejection(service.replace(acc, t.id, coupon({ name: 'x' })))).toMatchObject({ status: 409, code: 'CARD_TEMPLATE_INVALID_TRANSITION' });
    expect(await rejection(service.renderForSend(acc, t.id, COUPON_SAMPLES))).toMatchObject({ code: 'CARD_TEMPLATE_NOT_APPROVED', details: { status: 'submitted' } });

    const rejected = await service.reject(t.id, 'The redeem link domain is not registered', 'alice');
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'The redeem link domain is not registered', decidedAt: expect.any(String) });
    expect(await rejection(service.approve(t.id))).toMatchObject({ status: 409, code: 'CARD_TEMPLATE_INVALID_TRANSITION', details: { status: 'rejected', allowedFrom: ['submitted'] } });

    const edited = await service.replace(acc, t.id, coupon({ name: 'Spring coupon v2' }));
    expect(edited).toMatchObject({ status: 'rejected', name: 'Spring coupon v2', rejectionReason: 'The redeem link domain is not registered' });
    expect((await service.submit(acc, t.id)).rejectionReason).toBeNull();
    const approved = await service.approve(t.id, 'bob');

    expect(approved.status).toBe('approved');
    expect(approved.history.map((h) => `${h.by} ${h.action} ${h.from}→${h.to}${h.reason ? ` (${h.reason})` : ''}`)).toEqual([
      `account:${acc} created null→draft`,
      `account:${acc} submitted draft→submitted`,
      'operator:alice rejected submitted→rejected (The redeem link domain is not registered)',
      `account:${acc} edited rejected→rejected`,
      `account:${acc} submitted rejected→submitted`,
      'operator:bob approved submitted→approved',
    ]);
    expect(await rejection(service.replace(acc, t.id, coupon()))).toMatchObject({ code: 'CARD_TEMPLATE_INVALID_TRANSITION', details: { status: 'approved' } });

    const sent = await service.renderForSend(acc, t.id, { name: 'Han Meimei', amount: 50, code: 'VIP50', expiry: '2030-07-31' });
    expect(sent.template).toEqual({ id: t.id, name: 'Spring coupon v2', type: 'coupon', version: 1, accountId: acc });
    expect(sent.card).toMatchObject({ title: 'A coupon for Han Meimei', coupon: { amount: '50', code: 'VIP50', validUntil: '2030-07-31' } });
  });

  it('when a template is submitted without a sample for every variable, then CARD_TEMPLATE_INCOMPLETE names the first missing one', async () => {
    const acc = await newAccount('samples');
    const t = await service.create(acc, coupon({ sampleVariables: { name: 'Li Lei', amount: '20' } }));

    expect(await rejection(service.submit(acc, t.id))).toMatchObject({ status: 400, code: 'CARD_TEMPLATE_INCOMPLETE', field: 'sampleVariables.expiry', details: { missing: ['expiry', 'code'] } });
    expect((await service.get(acc, t.id)).status).toBe('draft');
  });

  it('when the samples render an invalid card, then submission fails with CARD_RENDERED_INVALID naming the field and its variables', async () => {
    const acc = await newAccount('bad-sample');
    const t = await service.create(acc, coupon({ sampleVariables: { ...COUPON_SAMPLES, expiry: 'end of June' } }));

    const err = await rejection(service.submit(acc, t.id));

    expect(err).toMatchObject({ status: 400, code: 'CARD_RENDERED_INVALID', field: 'card.coupon.validUntil' });
    expect(err.details).toEqual([{ field: 'card.coupon.validUntil', rule: 'format', message: 'must match format "date"', variables: ['expiry'] }]);
  });

  it('when a send renders one recipient\'s card, then a missing value or one that breaks a rule is refused with its field', async () => {
    const acc = await newAccount('send');
    const t = await service.create(acc, coupon());
    await service.submit(acc, t.id);
    await service.approve(t.id);
    const prepared = await service.prepareForSend(acc, t.id);

    expect(prepared.render(COUPON_SAMPLES)).toMatchObject({ type: 'coupon', version: 1, summary: 'Li Lei, your ¥20 coupon is waiting' });
    expect(() => prepared.render({ ...COUPON_SAMPLES, name: undefined })).toThrow(expect.objectContaining({ code: 'TEMPLATE_VARIABLE_MISSING', field: 'variables.name' }));
    expect(() => prepared.render({ ...COUPON_SAMPLES, name: 'x'.repeat(300) })).toThrow(expect.objectContaining({ code: 'CARD_RENDERED_INVALID', field: 'card.summary' }));
  });

  it('when another account asks for a template, then it is not found for reading, editing, submitting, previewing or sending', async () => {
    const owner = await newAccount('owner');
    const other = await newAccount('other');
    const t = await service.create(owner, coupon());
    await service.submit(owner, t.id);
    await service.approve(t.id);

    const attempts = [() => service.get(other, t.id), () => service.replace(other, t.id, coupon()), () => service.submit(other, t.id), () => service.preview(other, t.id, {}), () => media.list(other, t.id)];
    for (const attempt of attempts) expect(await rejection(attempt())).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await rejection(service.renderForSend(other, t.id, COUPON_SAMPLES))).toMatchObject({ status: 404, code: 'NOT_FOUND', field: 'templateId' });
    expect(await service.list(other, { limit: 100 })).toEqual([]);
    expect((await service.list(owner, { limit: 100 })).map((x) => x.id)).toEqual([t.id]);
  });

  it('when templates are listed, then filters by status and type apply, newest first; the operator queue spans accounts, oldest submission first', async () => {
    const a = await newAccount('list-a');
    const b = await newAccount('list-b');
    const first = await service.create(a, coupon());
    const second = await service.create(a, { name: 'Flight', card: structuredClone(CARD_EXAMPLES.flight) as never });
    const third = await service.create(b, coupon());
    await service.submit(b, third.id);
    await service.submit(a, first.id);

    expect((await service.list(a, { limit: 100 })).map((t) => t.id)).toEqual([second.id, first.id]);
    expect((await service.list(a, { limit: 100, type: 'flight' })).map((t) => t.id)).toEqual([second.id]);
    expect((await service.list(a, { limit: 100, status: 'submitted' })).map((t) => t.id)).toEqual([first.id]);
    const queue = (await service.review({ status: 'submitted', limit: 1000 })).map((t) => t.id);
    expect(queue.indexOf(third.id)).toBeLessThan(queue.indexOf(first.id));
    expect((await service.review({ status: 'submitted', accountId: a, limit: 10 })).map((t) => t.id)).toEqual([first.id]);
  });

  it('when a saved or unsaved template is previewed, then sample values fill the gaps and every form is rendered', async () => {
    const acc = await newAccount('preview');
    const t = await service.create(acc, coupon());

    const p = await service.preview(acc, t.id, { name: 'Han Meimei' }, { signature: '阿里云', link: 'https://s.acme.example/x' });
    expect(p.card).toMatchObject({ title: 'A coupon for Han Meimei', coupon: { code: 'SPRING20' } });
    expect(p.renderings['smart-sms'].body).toBe('【阿里云】Han Meimei, your ¥20 coupon is waiting https://s.acme.example/x');
    expect(p.renderings.h5.body).toContain('A coupon for Han Meimei');
    expect(p.renderings.text.body).toContain('SPRING20');

    const unsaved = service.previewUnsaved({ name: 'draft', card: structuredClone(CARD_EXAMPLES['train-ticket']) as never }, {});
    expect(unsaved.renderings.text.body).toContain('G1234');
  });

  it('when an image is uploaded to a draft, then it and its thumbnail are stored and read back byte for byte; an approved template takes no uploads', async () => {
    const acc = await newAccount('media');
    const t = await service.create(acc, coupon());
    const png = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3366cc' } }).png().toBuffer();

    const up = await media.upload(acc, t.id, png);

    expect(up.media).toMatchObject({ kind: 'image', url: `/m/${up.id}`, mime: 'image/png', width: 1080, height: 810, thumbnail: { url: `/m/${up.thumbnailId}`, mime: 'image/jpeg', width: 320, height: 240 } });
    const stored = await media.get(up.id);
    expect(stored).toMatchObject({ mime: 'image/png', width: 1080, height: 810, size: up.media.size });
    expect(stored!.bytes).toBeInstanceOf(Buffer);
    expect(await sharp(stored!.bytes).metadata()).toMatchObject({ format: 'png', width: 1080, height: 810 });
    expect((await media.get(up.thumbnailId))!.mime).toBe('image/jpeg');
    expect(await media.list(acc, t.id)).toEqual([{ id: up.id, thumbnailId: up.thumbnailId, media: up.media }]);

    // The upload's media object is a valid card image: the card takes it as is.
    const withImage = await service.replace(acc, t.id, coupon({ card: { ...structuredClone(COUPON_TEMPLATE), media: up.media } }));
    expect(withImage.card.media).toEqual(up.media);

    await service.submit(acc, t.id);
    await service.approve(t.id);
    expect(await rejection(media.upload(acc, t.id, png))).toMatchObject({ status: 409, code: 'CARD_TEMPLATE_INVALID_TRANSITION' });
    expect(await media.get('med_doesnotexist000000000')).toBeUndefined();
  });
});
