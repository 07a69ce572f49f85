import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/accounts/api-keys.js';
import { engines } from '../support/databases.js';
import { ADMIN_KEY, createFundedAccount, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

describe.each(engines)('security by default on %s', (engine) => {
  let t: TestPlatform;
  let a: Awaited<ReturnType<typeof createFundedAccount>>;
  let b: Awaited<ReturnType<typeof createFundedAccount>>;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    a = await createFundedAccount(t, { name: 'Tenant A', extension: '11' });
    b = await createFundedAccount(t, { name: 'Tenant B', extension: '22' });
  });
  afterAll(async () => t?.stop());

  it('when an account is created, then only a hash of its API key is stored', async () => {
    const key = a.auth.Authorization.slice('Bearer '.length);
    const rows = await t.platform.db.query<{ key_hash: string }>('select key_hash from api_keys where account_id = $1', [a.id]);
    expect(rows).toEqual([{ key_hash: hashApiKey(key) }]);
    const all = JSON.stringify(await t.platform.db.query('select * from api_keys'));
    expect(all).not.toContain(key);
  });

  it('when a tenant reads another tenant\'s message, then it is not found, and lists never mix tenants', async () => {
    const sent = await t.api.post('/v1/messages').set(a.auth).send({ to: '13800138020', category: 'otp', text: '【阿里云】验证码 123456' }).expect(202);
    await t.api.get(`/v1/messages/${sent.body.id}`).set(b.auth).expect(404);
    await t.api.delete(`/v1/messages/${sent.body.id}`).set(b.auth).expect(404);
    const list = await t.api.get('/v1/messages').set(b.auth).expect(200);
    expect(list.body.data.map((m: { id: string }) => m.id)).not.toContain(sent.body.id);
  });

  it('when the caller\'s IP is outside the account\'s allowlist, then the request is refused with 403', async () => {
    await t.api.patch(`/v1/admin/accounts/${b.id}`).set(b.admin).send({ ipAllowlist: ['10.0.0.0/8'] }).expect(200);
    const res = await t.api.get('/v1/account').set(b.auth).expect(403);
    expect(res.body.error.code).toBe('IP_NOT_ALLOWED');
    await t.api.patch(`/v1/admin/accounts/${b.id}`).set(b.admin).send({ ipAllowlist: ['127.0.0.0/8', '::1/128'] }).expect(200);
    await t.api.get('/v1/account').set(b.auth).expect(200);
  });

  it('when a key is missing, wrong or rotated, then the API answers 401 with a code', async () => {
    expect((await t.api.get('/v1/account').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    expect((await t.api.get('/v1/account').set('Authorization', 'Bearer sk_nope').expect(401)).body.error.code).toBe('INVALID_API_KEY');
    const rotated = await t.api.post(`/v1/admin/accounts/${a.id}/keys`).set(a.admin).expect(201);
    await t.api.get('/v1/account').set('Authorization', `Bearer ${rotated.body.apiKey}`).expect(200);
    expect((await t.api.get('/v1/account').set(a.auth).expect(401)).body.error.code).toBe('INVALID_API_KEY');
  });

  it('when admin routes are called with a customer key, then they are refused', async () => {
    const res = await t.api.post('/v1/admin/accounts').set(b.auth).send({ name: 'x' }).expect(401);
    expect(res.body.error.code).toBe('ADMIN_KEY_REQUIRED');
    await t.api.get('/v1/admin/nothing-here').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(404);
  });

  it('when settings carry an unknown key or a bad value, then the error names the field', async () => {
    const res = await t.api.patch(`/v1/admin/accounts/${b.id}`).set(b.admin).send({ settings: { marketingWindow: { start: '25:00', end: '22:00' } } }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'settings.marketingWindow.start' });
  });

  it('when a second account claims a taken extension, then it is refused with 409', async () => {
    const res = await t.api.post('/v1/admin/accounts').set(b.admin).send({ name: 'Copycat', extension: '11' }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'EXTENSION_TAKEN', field: 'extension' });
  });
});
