import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

describe.each(engines)('templates and content rules through the API on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let templateId: string;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t);
    const created = await t.api.post('/v1/templates').set(acc.auth)
      .send({ name: 'login code', category: 'otp', body: '【阿里云】您的验证码是{{code}}，{{minutes}}分钟内有效。' }).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', variables: ['code', 'minutes'] });
    templateId = created.body.id;
  });
  afterAll(async () => t?.stop());

  it('when a template is still pending, then sending with it is refused naming the field', async () => {
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138040', category: 'otp', template: { id: templateId, variables: { code: '1', minutes: 5 } } }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'TEMPLATE_NOT_APPROVED', field: 'template.id' });
  });

  it('when an approved template is sent, then each recipient gets its own rendering, and a missing variable names the recipient', async () => {
    await t.api.post(`/v1/admin/templates/${templateId}/review`).set(acc.admin).send({ status: 'approved' }).expect(200);
    const one = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138040', category: 'otp', template: { id: templateId, variables: { code: '731904', minutes: 5 } } }).expect(202);
    const view = await t.api.get(`/v1/messages/${one.body.id}`).set(acc.auth).expect(200);
    expect(view.body.text).toBe('【阿里云】您的验证码是731904，5分钟内有效。');

    const missing = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138041', category: 'otp', template: { id: templateId, variables: { code: '1' } } }).expect(400);
    expect(missing.body.error).toMatchObject({ code: 'TEMPLATE_VARIABLE_MISSING', field: 'variables.minutes' });

    const batch = await t.api.post('/v1/messages/batch').set(acc.auth).send({
      category: 'otp', template: { id: templateId },
      recipients: [{ to: '13800138042', variables: { code: '111111', minutes: 5 } }, { to: '13800138043', variables: { code: '222222' } }],
    }).expect(202);
    expect(batch.body.accepted).toBe(1);
    expect(batch.body.rejected).toEqual([expect.objectContaining({ index: 1, code: 'TEMPLATE_VARIABLE_MISSING', field: 'recipients.1.variables.minutes' })]);
  });

  it('when a template is used for another category, then it is refused', async () => {
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138044', category: 'notification', template: { id: templateId, variables: { code: '1', minutes: 5 } } }).expect(400);
    expect(res.body.error.code).toBe('TEMPLATE_CATEGORY_MISMATCH');
  });

  it('when text carries an unregistered signature, a stray bracket or a blocked keyword, then the message fails with the rule\'s code', async () => {
    const send = async (text: string) => (await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138045', category: 'notification', text }).expect(202)).body;
    expect(await send('【别家公司】您的快递到了')).toMatchObject({ status: 'failed', errorCode: 'SIGNATURE_NOT_REGISTERED' });
    expect(await send('【阿里云】您的【快递】到了')).toMatchObject({ status: 'failed', errorCode: 'SIGNATURE_STRAY_BRACKETS' });
    expect(await send('您的快递到了')).toMatchObject({ status: 'failed', errorCode: 'SIGNATURE_MISSING' });
    expect(await send('【阿里云】网上赌博送彩金')).toMatchObject({ status: 'failed', errorCode: 'KEYWORD_BLOCKED' });
  });

  it('when the account rewrites stray brackets and the signature comes as a field, then the text is fixed and sent', async () => {
    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(acc.admin).send({ settings: { strayBrackets: 'rewrite' } }).expect(200);
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138046', category: 'notification', signature: '阿里云', text: '您的【快递】到了' }).expect(202);
    expect(res.body.status).toBe('queued');
    const view = await t.api.get(`/v1/messages/${res.body.id}`).set(acc.auth).expect(200);
    expect(view.body.text).toBe('【阿里云】您的[快递]到了');
  });
});
