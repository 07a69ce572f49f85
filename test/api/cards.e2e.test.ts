/**
 * Card templates over HTTP on the whole platform: create, list, read, replace, submit, the
 * operator's decisions, previews, image uploads (raw bytes and base64 JSON) and the public
 * /m/{id} path with its caching headers; every error in the platform's 400 shape.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../support/test-platform.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../support/card-fixtures.js';

describe.each(engines)('card templates API on %s', (engine) => {
  let t: TestPlatform;
  let a: Awaited<ReturnType<typeof createFundedAccount>>;
  let b: Awaited<ReturnType<typeof createFundedAccount>>;
  const body = { name: 'Spring coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES };
  const create = async (auth = a.auth) => (await t.api.post('/v1/cards/templates').set(auth).send(body).expect(201)).body;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    a = await createFundedAccount(t);
    b = await createFundedAccount(t, { name: 'Beta', extension: '02' });
  });
  afterAll(async () => t?.stop());

  it('when a template is created, read and listed, then the account sees it as a draft with its variables; another account does not', async () => {
    const created = await create();

    expect(created).toMatchObject({ type: 'coupon', version: 1, status: 'draft', variables: ['name', 'amount', 'expiry', 'code'] });
    expect((await t.api.get(`/v1/cards/templates/${created.id}`).set(a.auth).expect(200)).body).toEqual(created);
    expect((await t.api.get('/v1/cards/templates?type=coupon&status=draft&limit=5').set(a.auth).expect(200)).body.data.map((x: { id: string }) => x.id)).toContain(created.id);
    expect((await t.api.get(`/v1/cards/templates/${created.id}`).set(b.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await t.api.get('/v1/cards/templates').set(b.auth).expect(200)).body.data).toEqual([]);
  });

  it('when the card or the body breaks a rule, then 400 VALIDATION_FAILED names the field and the rule', async () => {
    const badCard = await t.api.post('/v1/cards/templates').set(a.auth)
      .send({ ...body, card: { ...COUPON_TEMPLATE, buttons: [{ type: 'openUrl', text: 'x'.repeat(26), url: 'https://acme.example' }] } }).expect(400);
    expect(badCard.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'card.buttons.0.text', details: [{ field: 'card.buttons.0.text', rule: 'maxLength', message: 'must NOT have more than 25 characters' }] });

    const stray = await t.api.post('/v1/cards/templates').set(a.auth).send({ ...body, colour: 'red' }).expect(400);
    expect(stray.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'colour', details: [expect.objectContaining({ rule: 'additionalProperties' })] });

    const noName = await t.api.post('/v1/cards/templates').set(a.auth).send({ card: COUPON_TEMPLATE }).expect(400);
    expect(noName.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name', message: 'name: is required' });

    const syntax = await t.api.post('/v1/cards/templates').set(a.auth).send({ ...body, card: { ...COUPON_TEMPLATE, title: '{{#each x}}y{{/each}}' } }).expect(400);
    expect(syntax.body.error).toMatchObject({ code: 'TEMPLATE_SYNTAX', field: 'card.title' });

    const query = await t.api.get('/v1/cards/templates?limit=0').set(a.auth).expect(400);
    expect(query.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'limit' });
  });

  it('when a template is submitted, rejected with a reason, replaced, resubmitted and approved, then statuses follow and only the operator decides', async () => {
    const tpl = await create();
    const admin = a.admin;
    expect((await t.api.post(`/v1/cards/templates/${tpl.id}/submit`).set(a.auth).expect(200)).body.status).toBe('submitted');
    expect((await t.api.put(`/v1/cards/templates/${tpl.id}`).set(a.auth).send(body).expect(409)).body.error).toMatchObject({ code: 'CARD_TEMPLATE_INVALID_TRANSITION', details: { status: 'submitted' } });
    await t.api.post(`/v1/admin/cards/templates/${tpl.id}/approve`).set(a.auth).send({}).expect(401);

    const queue = await t.api.get('/v1/admin/cards/templates?status=submitted').set(admin).expect(200);
    expect(queue.body.data.map((x: { id: string }) => x.id)).toContain(tpl.id);
    expect((await t.api.post(`/v1/admin/cards/templates/${tpl.id}/reject`).set(admin).send({ reason: '  ' }).expect(400)).body.error.field).toBe('reason');
    const rejected = await t.api.post(`/v1/admin/cards/templates/${tpl.id}/reject`).set(admin).send({ reason: 'Coupon terms missing', operator: 'alice' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Coupon terms missing' });

    const replaced = await t.api.put(`/v1/cards/templates/${tpl.id}`).set(a.auth)
      .send({ ...body, card: { ...COUPON_TEMPLATE, coupon: { ...COUPON_TEMPLATE.coupon, condition: 'Orders over ¥100' } } }).expect(200);
    expect(replaced.body.card.coupon.condition).toBe('Orders over ¥100');
    await t.api.post(`/v1/cards/templates/${tpl.id}/submit`).set(a.auth).expect(200);
    const approved = await t.api.post(`/v1/admin/cards/templates/${tpl.id}/approve`).set(admin).send({ operator: 'bob' }).expect(200);

    expect(approved.body).toMatchObject({ status: 'approved', rejectionReason: null });
    expect((await t.api.get(`/v1/admin/cards/templates/${tpl.id}`).set(admin).expect(200)).body.history.at(-1)).toMatchObject({ by: 'operator:bob', action: 'approved' });
    expect((await t.api.post(`/v1/admin/cards/templates/${tpl.id}/approve`).set(admin).send({}).expect(409)).body.error.code).toBe('CARD_TEMPLATE_INVALID_TRANSITION');
    // What the smart-SMS send will call.
    const sent = await t.platform.cards.templates.renderForSend(a.id, tpl.id, COUPON_SAMPLES);
    expect(sent.card).toMatchObject({ type: 'coupon', coupon: { condition: 'Orders over ¥100', code: 'SPRING20' } });
  });

  it('when a template is previewed, then the card and its smart-SMS text, H5 page and plain text come back; a bad value names its variable', async () => {
    const tpl = await create();

    const res = await t.api.post(`/v1/cards/templates/${tpl.id}/preview`).set(a.auth).send({ variables: { name: 'Han Meimei', amount: 30 }, signature: '阿里云', lang: 'en' }).expect(200);

    expect(res.body.card).toMatchObject({ title: 'A coupon for Han Meimei', coupon: { amount: '30' } });
    expect(res.body.renderings['smart-sms']).toEqual({ kind: 'smart-sms', contentType: 'text/plain; charset=utf-8', body: '【阿里云】Han Meimei, your ¥30 coupon is waiting https://s.example/AbCdEfGh' });
    expect(res.body.renderings.h5.body).toMatch(/^<!doctype html>/);
    expect(res.body.renderings.text.body).toContain('Valid until 2030-06-30');

    const bad = await t.api.post(`/v1/cards/templates/${tpl.id}/preview`).set(a.auth).send({ variables: { expiry: 'soon' } }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'CARD_RENDERED_INVALID', field: 'card.coupon.validUntil', details: [expect.objectContaining({ variables: ['expiry'] })] });
  });

  it('when an image is uploaded as raw bytes or base64 JSON, then it is resized, thumbnailed and served at /m/{id} with long-lived caching', async () => {
    const tpl = await create();
    const jpeg = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#cc3333' } }).jpeg().withExif({ IFD0: { Artist: 'someone' } }).toBuffer();

    const raw = await t.api.post(`/v1/cards/templates/${tpl.id}/media`).set(a.auth).set('Content-Type', 'image/jpeg').send(jpeg).expect(201);
    expect(raw.body.media).toMatchObject({ kind: 'image', url: `/m/${raw.body.id}`, mime: 'image/jpeg', width: 1080, height: 540, thumbnail: { width: 320, height: 160 } });
    expect(raw.body.source).toEqual({ format: 'jpeg', width: 2000, height: 1000, bytes: jpeg.length, animated: false });

    const json = await t.api.post(`/v1/cards/templates/${tpl.id}/media`).set(a.auth).send({ data: jpeg.toString('base64'), filename: 'sale.jpg' }).expect(201);
    expect(json.body.media.width).toBe(1080);

    const served = await t.api.get(raw.body.media.url).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect((served.body as Buffer).length).toBe(raw.body.media.size);
    expect((await sharp(served.body as Buffer).metadata()).exif).toBeUndefined();
    await t.api.get(raw.body.media.url).set('If-None-Match', served.headers.etag).expect(304);
    await t.api.get(raw.body.media.thumbnail.url).expect(200).expect('Content-Type', 'image/jpeg');
    expect((await t.api.get('/m/med_nope').expect(404)).body.error.code).toBe('NOT_FOUND');

    const list = await t.api.get(`/v1/cards/templates/${tpl.id}/media`).set(a.auth).expect(200);
    expect(list.body.data.map((m: { id: string }) => m.id)).toEqual([raw.body.id, json.body.id]);
  });

  it('when an upload is not an accepted image, or goes to someone else\'s template, then its code says why', async () => {
    const tpl = await create();
    const text = await t.api.post(`/v1/cards/templates/${tpl.id}/media`).set(a.auth).set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(text.body.error).toMatchObject({ code: 'CARD_MEDIA_TYPE_NOT_ALLOWED', field: 'Content-Type' });
    const fake = await t.api.post(`/v1/cards/templates/${tpl.id}/media`).set(a.auth).set('Content-Type', 'image/png').send(Buffer.from('not really a png')).expect(415);
    expect(fake.body.error.code).toBe('CARD_MEDIA_TYPE_NOT_ALLOWED');
    const noData = await t.api.post(`/v1/cards/templates/${tpl.id}/media`).set(a.auth).send({ file: 'x' }).expect(400);
    expect(noData.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'data' });
    const png = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#000' } }).png().toBuffer();
    expect((await t.api.post(`/v1/cards/templates/${tpl.id}/media`).set(b.auth).set('Content-Type', 'image/png').send(png).expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});
