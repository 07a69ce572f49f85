/**
 * The console's card-template pages over HTTP (no browser), on the real platform: the form
 * generated from the card schema, validation problems placed next to the field their path names,
 * image uploads through the cards module, row add/remove, previews, review submission, the test
 * send hook, tenant isolation and CSRF on every post.
 */
import express from 'express';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../../src/accounts/account.js';
import { cardTemplatesPage, type SendTestHook } from '../../../src/console/cards/card-templates.page.js';
import { consoleRouter } from '../../../src/console/console.routes.js';
import { AppError } from '../../../src/http/app-error.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { engines } from '../../support/databases.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

type Jar = Record<string, string>;
type Api = ReturnType<typeof request>;
const cookieHeader = (jar: Jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
const setCookies = (res: request.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
function remember(jar: Jar, res: request.Response): Jar {
  for (const c of setCookies(res)) {
    const [pair] = c.split(';');
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) delete jar[name];
    else jar[name] = value;
  }
  return jar;
}

/** A logged-in browser: its cookies and CSRF token. */
interface Session { jar: Jar; token: string; cookie: string }

async function login(api: Api, key: string): Promise<Session> {
  const page = await api.get('/console/login').expect(200);
  const jar = remember({}, page);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: token, apiKey: key }).expect(303);
  remember(jar, res);
  return { jar, token: jar.console_csrf, cookie: cookieHeader(jar) };
}

/** The fields of a valid coupon template with a variable, as the editor posts them. */
const COUPON_FORM: Record<string, string> = {
  name: 'Spring coupon',
  'card.type': 'coupon',
  'card.version': '1',
  'card.summary': 'Hi {{name}}, a ¥20 coupon for you',
  'card.title': 'A coupon for {{name}}',
  'card.description': 'Use it on any order over ¥100.',
  'card.coupon.kind': 'coupon',
  'card.coupon.amount': '20',
  'card.coupon.currency': '¥',
  'card.coupon.code': 'SPRING20',
  'card.coupon.validUntil': '2030-06-30',
  'card.buttons.0.type': 'openUrl',
  'card.buttons.0.text': 'Shop now',
  'card.buttons.0.url': 'https://shop.acme.example/spring',
  'card.buttons.1.type': 'copyCode',
  'card.buttons.1.text': 'Copy code',
  'card.buttons.1.code': 'SPRING20',
  'vars.0.name': 'name',
  'vars.0.value': 'Li Lei',
};

/** Posts the editor's multipart form (the browser sends every field as a part). */
function postEditor(api: Api, s: Session, path: string, fields: Record<string, string>, files: Record<string, { bytes: Buffer; filename: string }> = {}) {
  let req = api.post(path).set('Cookie', s.cookie).field('_csrf', s.token);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const [k, f] of Object.entries(files)) req = req.attach(k, f.bytes, f.filename);
  return req;
}

/** The error text shown next to the input of a path. */
const errorAt = (html: string, field: string) => new RegExp(`data-error-for="${field.replace(/\./g, '\\.')}">([^<]*)<`).exec(html)?.[1];
const idOf = (location: string) => /\/console\/cards\/([^/]+)\/edit/.exec(location)![1];

describe.each(engines)('console card templates on %s', (engine) => {
  let t: TestPlatform;
  let acme: Awaited<ReturnType<typeof createFundedAccount>>;
  let other: Awaited<ReturnType<typeof createFundedAccount>>;
  let png: Buffer;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acme = await createFundedAccount(t);
    other = await createFundedAccount(t, { name: 'Other', extension: '02' });
    png = await sharp({ create: { width: 400, height: 240, channels: 3, background: '#d33' } }).png().toBuffer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('when a new coupon form is opened, then its inputs come from the coupon schema and the page allows only its own script and the card stylesheet', async () => {
    // Arrange
    const s = await login(t.api, acme.key);

    // Act
    const res = await t.api.get('/console/cards/new?type=coupon').set('Cookie', s.cookie).expect(200);

    // Assert: strings with their maxLength, enums as selects, the button action select, the image upload.
    const html = res.text;
    expect(html).toMatch(/<input id="f-card-summary" name="card\.summary" type="text" value="" maxlength="200"/);
    expect(html).toMatch(/<textarea id="f-card-description" name="card\.description" rows="3" maxlength="2000"/);
    expect(html).toMatch(/<select id="f-card-coupon-kind" name="card\.coupon\.kind"[^>]*>\s*<option value="">—<\/option>\s*<option value="coupon">coupon<\/option><option value="redPacket">redPacket<\/option>/);
    expect(html).toContain('name="card.coupon.validUntil" type="text" value="" placeholder="YYYY-MM-DD"');
    expect(html).toContain('<input type="file" id="f-card-media-file" name="upload:image:card.media"');
    expect(html).toContain('value="add:card.buttons"');
    expect(html).not.toContain('name="card.buttons.0.type"'); // no button until one is added
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(html).not.toMatch(/<script(?! src="\/console\/cards\/editor\.js")/);
  });

  it('when a button row is added, then it has the six actions, the first selected, and the other actions\' fields wait disabled', async () => {
    // Arrange
    const s = await login(t.api, acme.key);

    // Act
    const res = await postEditor(t.api, s, '/console/cards', { 'card.type': 'coupon', 'card.summary': 'Kept', op: 'add:card.buttons' }).expect(200);

    // Assert
    const select = /<select id="f-card-buttons-0-type" name="card\.buttons\.0\.type" data-choice-tag="f-card-buttons-0"[^>]*>([\s\S]*?)<\/select>/.exec(res.text)![1];
    expect([...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['openUrl', 'openApp', 'openMiniProgram', 'dial', 'copyCode', 'reply']);
    expect(select).toContain('<option value="openUrl" selected>Open a web page</option>');
    expect(res.text).toMatch(/<fieldset class="variant" data-variant-of="f-card-buttons-0" data-variant="openUrl">/);
    expect(res.text).toMatch(/<fieldset class="variant" data-variant-of="f-card-buttons-0" data-variant="copyCode" hidden disabled>/);
    expect(res.text).toContain('name="card.buttons.0.url"');
    expect(res.text).toContain('name="card.summary" type="text" value="Kept"');
  });

  it('when a template with broken fields is saved, then nothing is created and each problem shows next to the field its path names', async () => {
    // Arrange
    const s = await login(t.api, acme.key);
    const before = await t.api.get('/v1/cards/templates').set(acme.auth).expect(200);
    const broken = { ...COUPON_FORM, 'card.title': '', 'card.buttons.0.url': 'not a url', 'card.buttons.1.text': 'A label far longer than twenty-five characters', op: 'save' };

    // Act
    const res = await postEditor(t.api, s, '/console/cards', broken).expect(400);

    // Assert
    expect(errorAt(res.text, 'card.title')).toBe('is required');
    expect(errorAt(res.text, 'card.buttons.0.url')).toMatch(/must match (format "uri"|pattern)/);
    expect(errorAt(res.text, 'card.buttons.1.text')).toBe('must NOT have more than 25 characters');
    expect(res.text).toContain('<li data-field="card.title"><a href="#f-card-title">Title</a>: is required</li>');
    expect(res.text).toContain('value="A label far longer than twenty-five characters"'); // the input keeps what was typed
    const after = await t.api.get('/v1/cards/templates').set(acme.auth).expect(200);
    expect(after.body.data).toHaveLength(before.body.data.length);
  });

  it('when an upload is not an image, then the template is not created and the message shows at the media field', async () => {
    const s = await login(t.api, acme.key);

    const res = await postEditor(t.api, s, '/console/cards', { ...COUPON_FORM, op: 'save' }, { 'upload:image:card.media': { bytes: Buffer.from('not an image at all'), filename: 'notes.png' } }).expect(400);

    expect(errorAt(res.text, 'card.media')).toMatch(/^notes\.png: The upload is not an image/);
  });

  it('when a coupon with an uploaded image is saved and submitted, then it is a draft with the processed image, then in review', async () => {
    // Arrange
    const s = await login(t.api, acme.key);

    // Act: create, with the image chosen in the same form.
    const created = await postEditor(t.api, s, '/console/cards', { ...COUPON_FORM, 'card.media.alt': 'Red banner', op: 'save' }, { 'upload:image:card.media': { bytes: png, filename: 'banner.png' } }).expect(303);
    const id = idOf(created.headers.location);

    // Assert: the API sees the template with the uploaded image (the placeholder is gone).
    const api = await t.api.get(`/v1/cards/templates/${id}`).set(acme.auth).expect(200);
    expect(api.body).toMatchObject({ name: 'Spring coupon', status: 'draft', variables: ['name'], sampleVariables: { name: 'Li Lei' } });
    expect(api.body.card.media).toMatchObject({ kind: 'image', mime: 'image/png', width: 400, height: 240, alt: 'Red banner', thumbnail: { mime: 'image/jpeg' } });
    expect(api.body.card.media.url).toMatch(/^\/m\/med_/);
    expect(api.body.card.buttons).toEqual([
      { type: 'openUrl', text: 'Shop now', url: 'https://shop.acme.example/spring' },
      { type: 'copyCode', text: 'Copy code', code: 'SPRING20' },
    ]);
    const page = await t.api.get(created.headers.location).set('Cookie', s.cookie).expect(200);
    expect(page.text).toContain('data-test="notice">Template created as a draft.');
    expect(page.text).toContain(`<img class="media-thumb" src="${api.body.card.media.url}"`);
    expect(page.text).toContain('data-test="status">Draft</span>');
    // The preview of the saved template: the card with the sample name in both frames, the smart-SMS text, the plain text.
    expect(page.text.match(/srcdoc="[^"]*A coupon for Li Lei/g)).toHaveLength(2);
    expect(page.text).toMatch(/data-test="preview-sms">【阿里云】Hi Li Lei, a ¥20 coupon for you https:\/\/s\.example\/\w+<\/p>/);
    expect(page.text).toMatch(/<pre>A coupon for Li Lei\n/);

    // Act: submit for review.
    const submitted = await t.api.post(`/console/cards/${id}/submit`).set('Cookie', s.cookie).type('form').send({ _csrf: s.token }).expect(303);

    // Assert
    const review = await t.api.get(submitted.headers.location).set('Cookie', s.cookie).expect(200);
    expect(review.text).toContain('data-test="status">In review</span>');
    expect(review.text).toMatch(/<fieldset class="plain" disabled>/);
    expect((await t.api.get(`/v1/cards/templates/${id}`).set(acme.auth).expect(200)).body.status).toBe('submitted');
  });

  it('when a saved template is edited, then a new upload replaces its image and the preview uses the form, not the stored card', async () => {
    // Arrange
    const s = await login(t.api, acme.key);
    const id = idOf((await postEditor(t.api, s, '/console/cards', { ...COUPON_FORM, op: 'save' }).expect(303)).headers.location);

    // Act: preview with a new title and an image, then save.
    const previewed = await postEditor(t.api, s, `/console/cards/${id}`, { ...COUPON_FORM, 'card.title': 'Changed for {{name}}', op: 'preview' }, { 'upload:image:card.media': { bytes: png, filename: 'a.png' } }).expect(200);
    const mediaUrl = /name="card\.media\.url" type="text" value="(\/m\/med_[^"]+)"/.exec(previewed.text)![1];
    expect(previewed.text).toMatch(/srcdoc="[^"]*Changed for Li Lei/);
    expect((await t.api.get(`/v1/cards/templates/${id}`).set(acme.auth)).body.card.title).toBe('A coupon for {{name}}');
    const fields = Object.fromEntries([...previewed.text.matchAll(/name="(card\.media\.[a-zA-Z.]+)" type="(?:text|number)"(?: step="1")? value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const kinds = Object.fromEntries([...previewed.text.matchAll(/<input type="hidden" name="(card\.media\.[a-z.]*kind)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const mimes = { 'card.media.mime': 'image/png', 'card.media.thumbnail.mime': 'image/jpeg' };
    await postEditor(t.api, s, `/console/cards/${id}`, { ...COUPON_FORM, ...fields, ...kinds, ...mimes, 'card.title': 'Changed for {{name}}', op: 'save' }).expect(303);

    // Assert
    const stored = (await t.api.get(`/v1/cards/templates/${id}`).set(acme.auth).expect(200)).body;
    expect(stored.card.title).toBe('Changed for {{name}}');
    expect(stored.card.media).toMatchObject({ kind: 'image', url: mediaUrl, mime: 'image/png', width: 400, height: 240, thumbnail: { mime: 'image/jpeg', width: 320 } });
    expect((await t.api.get(`/v1/cards/templates/${id}/media`).set(acme.auth)).body.data).toHaveLength(1);
  });

  it('when a variable has no sample value, then the preview and the submission say which one, next to the sample rows', async () => {
    const s = await login(t.api, acme.key);
    const noSample = { ...COUPON_FORM, 'vars.0.value': '' };

    const previewed = await postEditor(t.api, s, '/console/cards', { ...noSample, op: 'preview' }).expect(200);
    const id = idOf((await postEditor(t.api, s, '/console/cards', { ...noSample, op: 'save' }).expect(303)).headers.location);
    const submitted = await t.api.post(`/console/cards/${id}/submit`).set('Cookie', s.cookie).type('form').send({ _csrf: s.token }).expect(400);

    expect(previewed.text).toMatch(/data-error-for="vars\.0">[^<]*name/);
    expect(previewed.text).not.toContain('srcdoc=');
    expect(errorAt(submitted.text, 'vars.0')).toMatch(/Give sampleVariables a value for \{\{name\}\}/);
    expect((await t.api.get(`/v1/cards/templates/${id}`).set(acme.auth)).body.status).toBe('draft');
  });

  it('when the editor script asks for a preview, then the pane alone comes back rendered from the posted fields', async () => {
    const s = await login(t.api, acme.key);

    const res = await postEditor(t.api, s, '/console/cards/preview', { ...COUPON_FORM, previewLang: 'en', 'vars.0.value': 'Han Meimei' }).expect(200);

    expect(res.text.trimStart()).toMatch(/^<section class="preview" id="card-preview"/);
    expect(res.text).not.toContain('<html');
    expect(res.text).toMatch(/srcdoc="[^"]*A coupon for Han Meimei[^"]*Valid until/);
    expect(res.text).toContain('【阿里云】Hi Han Meimei, a ¥20 coupon for you');
  });

  it('when another account opens, posts to or submits a template, then it is not found and the template is unchanged', async () => {
    // Arrange
    const mine = await login(t.api, acme.key);
    const theirs = await login(t.api, other.key);
    const id = idOf((await postEditor(t.api, mine, '/console/cards', { ...COUPON_FORM, name: 'Acme private', op: 'save' }).expect(303)).headers.location);

    // Act
    const view = await t.api.get(`/console/cards/${id}/edit`).set('Cookie', theirs.cookie);
    const edit = await postEditor(t.api, theirs, `/console/cards/${id}`, { ...COUPON_FORM, name: 'Hijacked', op: 'save' });
    const submit = await t.api.post(`/console/cards/${id}/submit`).set('Cookie', theirs.cookie).type('form').send({ _csrf: theirs.token });
    const list = await t.api.get('/console/cards').set('Cookie', theirs.cookie).expect(200);

    // Assert
    for (const res of [view, edit, submit]) {
      expect(res.status).toBe(404);
      expect(res.text).toContain('This account has no card template at this address.');
      expect(res.text).not.toContain('Acme private');
    }
    expect(list.text).not.toContain(id);
    const stored = (await t.api.get(`/v1/cards/templates/${id}`).set(acme.auth).expect(200)).body;
    expect(stored).toMatchObject({ name: 'Acme private', status: 'draft' });
    expect((await t.api.get('/console/cards').set('Cookie', mine.cookie)).text).toContain(`<tr data-template="${id}">`);
  });

  it('when a post lacks the CSRF token or a session, then it is refused and nothing changes', async () => {
    // Arrange
    const s = await login(t.api, acme.key);
    const id = idOf((await postEditor(t.api, s, '/console/cards', { ...COUPON_FORM, op: 'save' }).expect(303)).headers.location);
    const forged = { ...s, token: s.token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };

    // Act
    const results = [
      await postEditor(t.api, forged, '/console/cards', { ...COUPON_FORM, op: 'save' }),
      await postEditor(t.api, forged, `/console/cards/${id}`, { ...COUPON_FORM, name: 'Renamed', op: 'save' }),
      await t.api.post(`/console/cards/${id}/submit`).set('Cookie', s.cookie).type('form').send({}),
      await t.api.post(`/console/cards/${id}/test`).set('Cookie', s.cookie).type('form').send({ to: '+8613800138000' }),
      await postEditor(t.api, forged, '/console/cards/preview', COUPON_FORM),
    ];
    const anonymous = await t.api.post('/console/cards').field('_csrf', s.token).field('card.type', 'coupon').attach('upload:image:card.media', png, 'x.png');

    // Assert
    for (const res of results) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('This form has expired or did not come from the console');
    }
    // Without a session a multipart body is not even read: the CSRF check finds no token.
    expect(anonymous.status).toBe(403);
    expect((await t.api.get(`/v1/cards/templates/${id}`).set(acme.auth).expect(200)).body).toMatchObject({ name: 'Spring coupon', status: 'draft' });
  });

  it('when a form with files is larger than the upload limit, then a page says so and nothing is created', async () => {
    const s = await login(t.api, acme.key);
    const before = (await t.api.get('/v1/cards/templates').set(acme.auth)).body.data.length;

    const res = await postEditor(t.api, s, '/console/cards', { ...COUPON_FORM, op: 'save' }, { 'upload:image:card.media': { bytes: Buffer.alloc(22 * 1024 * 1024, 1), filename: 'huge.png' } });

    expect(res.status).toBe(413);
    expect(res.text).toContain('The form with its files is larger than 21 MB.');
    expect((await t.api.get('/v1/cards/templates').set(acme.auth)).body.data).toHaveLength(before);
  });

  it('when the console is opened, then the navigation has the card templates and the campaigns slot', async () => {
    const s = await login(t.api, acme.key);

    const res = await t.api.get('/console/campaigns').set('Cookie', s.cookie).expect(200);

    expect([...res.text.matchAll(/<li><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['/console/reports/backfill', 'Backfill report'], ['/console/cards', 'Card templates'], ['/console/campaigns', 'Campaigns'],
      ['/console/reports/fallback', 'Fallback'],
    ]);
    expect(res.text).toContain('<a href="/console/campaigns" aria-current="page">Campaigns</a>');
  });

  it('when a test is sent, then without the hook the button is disabled, and with it the hook gets the account, template, number and sample values', async () => {
    // Arrange: the real template service; a console of its own with a recording hook.
    const s = await login(t.api, acme.key);
    const id = idOf((await postEditor(t.api, s, '/console/cards', { ...COUPON_FORM, op: 'save' }).expect(303)).headers.location);
    await t.api.post(`/v1/cards/templates/${id}/submit`).set(acme.auth).expect(200);
    await t.api.post(`/v1/admin/cards/templates/${id}/approve`).set(acme.admin).send({}).expect(200);
    const calls: unknown[][] = [];
    const sendTest: SendTestHook = async (account: Account, templateId, to, variables, options) => {
      calls.push([account.id, templateId, to, variables, options]);
      if (to.endsWith('0000')) throw new AppError(400, 'INVALID_NUMBER', 'to: +8613800000000 is not a mobile number', 'to');
      return { reference: 'cmp_test_1' };
    };
    const app = express().use('/console', consoleRouter({
      accounts: t.platform.accounts, logger: silentLogger, sessionSecret: t.platform.config.consoleSessionSecret, secureCookies: false,
      pages: [cardTemplatesPage({ cards: t.platform.cards, sendTest, signatures: async () => ['阿里云'] })],
    }));
    const own = request(app);
    // The platform wires its own hook (a one-recipient campaign); this console has none.
    const bare = request(express().use('/console', consoleRouter({
      accounts: t.platform.accounts, logger: silentLogger, sessionSecret: t.platform.config.consoleSessionSecret, secureCookies: false,
      pages: [cardTemplatesPage({ cards: t.platform.cards, signatures: async () => ['阿里云'] })],
    })));
    const other = idOf((await postEditor(own, s, '/console/cards', { ...COUPON_FORM, op: 'save' }).expect(303)).headers.location);

    // Act
    const draftPage = await own.get(`/console/cards/${other}/edit`).set('Cookie', s.cookie).expect(200);
    const withoutHook = await bare.get(`/console/cards/${id}/edit`).set('Cookie', s.cookie).expect(200);
    const refusedWithoutHook = await bare.post(`/console/cards/${id}/test`).set('Cookie', s.cookie).type('form').send({ _csrf: s.token, to: '+8613800138000' }).expect(503);
    const sent = await own.post(`/console/cards/${id}/test`).set('Cookie', s.cookie).type('form').send({ _csrf: s.token, to: '+86 138 0013 8000', signature: '阿里云' }).expect(200);
    const badNumber = await own.post(`/console/cards/${id}/test`).set('Cookie', s.cookie).type('form').send({ _csrf: s.token, to: '+8613800000000' }).expect(400);
    const notANumber = await own.post(`/console/cards/${id}/test`).set('Cookie', s.cookie).type('form').send({ _csrf: s.token, to: 'call me' }).expect(400);

    // Assert
    expect(draftPage.text).toContain('Only an approved template can be sent');
    expect(draftPage.text).toMatch(/<button type="submit" data-test="send-test" disabled>/);
    expect(withoutHook.text).toMatch(/<button type="submit" data-test="send-test" disabled>/);
    expect(withoutHook.text).toContain('Test sends are not available on this server yet.');
    expect(errorAt(refusedWithoutHook.text, 'to')).toContain('not available');
    expect(sent.text).toContain('data-test="test-notice">Test sent to the number ending …8000 (cmp_test_1).');
    expect(sent.text).not.toContain('0013 8000'); // the number is not echoed back once sent
    expect(errorAt(badNumber.text, 'to')).toContain('is not a mobile number');
    expect(errorAt(notANumber.text, 'to')).toContain('Enter the phone number');
    expect(calls).toEqual([
      [acme.id, id, '+86 138 0013 8000', { name: 'Li Lei' }, { signature: '阿里云' }],
      [acme.id, id, '+8613800000000', { name: 'Li Lei' }, { signature: '阿里云' }],
    ]);
  });

  it('when the list is filtered and a rejected template is opened, then the status and the rejection reason show', async () => {
    // Arrange
    const s = await login(t.api, acme.key);
    const id = idOf((await postEditor(t.api, s, '/console/cards', { ...COUPON_FORM, name: 'To be rejected', op: 'save' }).expect(303)).headers.location);
    await t.api.post(`/v1/cards/templates/${id}/submit`).set(acme.auth).expect(200);
    await t.api.post(`/v1/admin/cards/templates/${id}/reject`).set(acme.admin).send({ reason: 'The <b>amount</b> must say the currency' }).expect(200);

    // Act
    const rejected = await t.api.get('/console/cards?status=rejected').set('Cookie', s.cookie).expect(200);
    const drafts = await t.api.get('/console/cards?status=draft').set('Cookie', s.cookie).expect(200);
    const page = await t.api.get(`/console/cards/${id}/edit`).set('Cookie', s.cookie).expect(200);

    // Assert
    expect(rejected.text).toMatch(new RegExp(`<tr data-template="${id}">\\s*<td><a href="/console/cards/${id}/edit">To be rejected</a></td>\\s*<td>Coupon or red packet card</td>\\s*<td><span class="status status-rejected">Rejected</span></td>`));
    expect(drafts.text).not.toContain(id);
    expect(page.text).toContain('data-test="rejection-reason"><strong>Rejected:</strong> The &lt;b&gt;amount&lt;/b&gt; must say the currency</div>');
    expect(page.text).toContain('data-test="submit-review"');
    expect(page.text).not.toMatch(/<fieldset class="plain" disabled>/);
  });
});
