import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { SenderRegistrationRepository, type NewRegistration } from '../../../src/senders/sender-registration.repository.js';
import { engines, openTestDb } from '../../support/databases.js';

const draft = (over: Partial<NewRegistration> = {}): NewRegistration => ({
  country: 'VN', senderId: 'ACME', senderType: 'alphabetic', categories: ['otp', 'marketing'],
  useCase: 'Login codes', documents: [{ name: 'Licence', url: 'https://acme.example/licence.pdf' }], ...over,
});
const quote = { oneOffUsd: 50, monthlyUsd: 20.5, leadTimeDays: 30 };

describe.each(engines)('SenderRegistrationRepository on %s', (engine) => {
  let db: Db;
  let accounts: AccountRepository;
  let repo: SenderRegistrationRepository;
  const newAccount = async (name: string) => (await accounts.create({ name })).account.id;

  beforeAll(async () => {
    db = await openTestDb(engine);
    accounts = new AccountRepository(db);
    repo = new SenderRegistrationRepository(db);
  });
  afterAll(async () => db?.close());

  it('when a draft is created, then it is stored with its documents and a created entry, and fees are not quoted yet', async () => {
    const acc = await newAccount('create');

    const reg = await repo.create(acc, draft(), `account:${acc}`);

    expect(reg).toMatchObject({ accountId: acc, country: 'VN', senderId: 'ACME', senderType: 'alphabetic', categories: ['otp', 'marketing'], status: 'draft',
      documents: [{ name: 'Licence', url: 'https://acme.example/licence.pdf' }], fees: null, leadTimeDays: null, submittedAt: null, decidedAt: null });
    expect(reg!.history).toEqual([{ at: reg!.createdAt, by: `account:${acc}`, action: 'created', from: null, to: 'draft', reason: null }]);
    expect(await repo.get(acc, reg!.id)).toEqual(reg);
  });

  it('when the same sender is registered twice for one country, then the second create returns nothing; another country is fine', async () => {
    const acc = await newAccount('dup');
    await repo.create(acc, draft(), 'a');

    expect(await repo.create(acc, draft(), 'a')).toBeUndefined();
    expect(await repo.create(acc, draft({ country: 'ID' }), 'a')).toBeDefined();
  });

  it('when submitted, approved, then the fees are quoted, times set and the history has every step with its actor', async () => {
    const acc = await newAccount('flow');
    const reg = (await repo.create(acc, draft(), `account:${acc}`))!;

    const submitted = await repo.submit(acc, reg.id, quote, ['draft', 'rejected'], `account:${acc}`);
    const approved = await repo.decide(reg.id, 'approved', null, ['submitted'], 'operator:alice');

    expect(submitted).toMatchObject({ kind: 'ok', registration: { status: 'submitted', fees: { oneOffUsd: 50, monthlyUsd: 20.5 }, leadTimeDays: 30 } });
    expect(approved.kind).toBe('ok');
    const final = approved.kind === 'ok' ? approved.registration : undefined;
    expect(final).toMatchObject({ status: 'approved', rejectionReason: null, submittedAt: expect.any(String), decidedAt: expect.any(String) });
    expect(final!.history.map((h) => [h.action, h.from, h.to, h.by])).toEqual([
      ['created', null, 'draft', `account:${acc}`],
      ['submitted', 'draft', 'submitted', `account:${acc}`],
      ['approved', 'submitted', 'approved', 'operator:alice'],
    ]);
  });

  it('when rejected, edited and resubmitted, then the reason shows until resubmission and the log keeps it', async () => {
    const acc = await newAccount('reject');
    const reg = (await repo.create(acc, draft(), 'a'))!;
    await repo.submit(acc, reg.id, quote, ['draft'], 'a');

    const rejected = await repo.decide(reg.id, 'rejected', 'Licence expired', ['submitted'], 'operator');
    const edited = await repo.edit(acc, reg.id, { documents: [{ name: 'New licence', url: 'https://acme.example/new.pdf' }] }, ['draft', 'rejected'], 'a');
    const again = await repo.submit(acc, reg.id, quote, ['draft', 'rejected'], 'a');

    expect(rejected).toMatchObject({ kind: 'ok', registration: { status: 'rejected', rejectionReason: 'Licence expired' } });
    expect(edited).toMatchObject({ kind: 'ok', registration: { status: 'rejected', rejectionReason: 'Licence expired', documents: [{ name: 'New licence' }] } });
    expect(again).toMatchObject({ kind: 'ok', registration: { status: 'submitted', rejectionReason: null, decidedAt: null } });
    const log = again.kind === 'ok' ? again.registration.history : [];
    expect(log.map((h) => [h.action, h.from, h.to, h.reason])).toEqual([
      ['created', null, 'draft', null],
      ['submitted', 'draft', 'submitted', null],
      ['rejected', 'submitted', 'rejected', 'Licence expired'],
      ['edited', 'rejected', 'rejected', null],
      ['submitted', 'rejected', 'submitted', null],
    ]);
  });

  it('when a move starts from a status it does not allow, then it is a conflict naming the current status and nothing changes', async () => {
    const acc = await newAccount('conflict');
    const reg = (await repo.create(acc, draft(), 'a'))!;

    expect(await repo.decide(reg.id, 'approved', null, ['submitted'], 'operator')).toEqual({ kind: 'conflict', status: 'draft' });
    await repo.submit(acc, reg.id, quote, ['draft'], 'a');
    expect(await repo.edit(acc, reg.id, { useCase: 'x' }, ['draft', 'rejected'], 'a')).toEqual({ kind: 'conflict', status: 'submitted' });
    expect((await repo.get(acc, reg.id))!.useCase).toBe('Login codes');
  });

  it('when an edit renames a sender to one the account already registered there, then it is a duplicate', async () => {
    const acc = await newAccount('rename');
    await repo.create(acc, draft(), 'a');
    const other = (await repo.create(acc, draft({ senderId: 'OTHER' }), 'a'))!;

    expect(await repo.edit(acc, other.id, { senderId: 'ACME' }, ['draft'], 'a')).toEqual({ kind: 'duplicate' });
  });

  it('when another account reads, lists, edits or submits a registration, then it sees nothing and changes nothing', async () => {
    const a = await newAccount('tenant-a');
    const b = await newAccount('tenant-b');
    const reg = (await repo.create(a, draft(), 'a'))!;

    expect(await repo.get(b, reg.id)).toBeUndefined();
    expect(await repo.list(b)).toEqual([]);
    expect(await repo.edit(b, reg.id, { useCase: 'hijack' }, ['draft'], 'b')).toEqual({ kind: 'not_found' });
    expect(await repo.submit(b, reg.id, quote, ['draft'], 'b')).toEqual({ kind: 'not_found' });
    expect(await repo.get(a, reg.id)).toMatchObject({ status: 'draft', useCase: 'Login codes' });
  });

  it('when listing, then filters by status and country apply and the review queue spans accounts, oldest submission first', async () => {
    const a = await newAccount('queue-a');
    const b = await newAccount('queue-b');
    const first = (await repo.create(b, draft({ senderId: 'BBB' }), 'b'))!;
    const second = (await repo.create(a, draft({ senderId: 'AAA', country: 'ID' }), 'a'))!;
    await repo.create(a, draft({ senderId: 'CCC' }), 'a');
    await repo.submit(b, first.id, quote, ['draft'], 'b');
    // Submission times are milliseconds; two in the same one would tie (then id decides).
    await new Promise((r) => setTimeout(r, 5));
    await repo.submit(a, second.id, quote, ['draft'], 'a');

    expect((await repo.list(a, { country: 'ID' })).map((r) => r.senderId)).toEqual(['AAA']);
    expect((await repo.list(a, { status: 'draft' })).map((r) => r.senderId)).toEqual(['CCC']);
    const queue = (await repo.review({ status: 'submitted', limit: 100 })).filter((r) => [a, b].includes(r.accountId));
    expect(queue.map((r) => r.senderId)).toEqual(['BBB', 'AAA']);
    expect((await repo.review({ status: 'submitted', accountId: a, limit: 100 })).map((r) => r.senderId)).toEqual(['AAA']);
  });

  it('when registrations are approved, then the approved listings return them for the send path, per account', async () => {
    const acc = await newAccount('approved');
    const reg = (await repo.create(acc, draft({ senderId: 'APPR' }), 'a'))!;
    await repo.create(acc, draft({ senderId: 'PEND' }), 'a');
    await repo.submit(acc, reg.id, quote, ['draft'], 'a');
    await repo.decide(reg.id, 'approved', null, ['submitted'], 'operator');

    expect(await repo.approvedOf(acc)).toEqual([{ accountId: acc, country: 'VN', senderId: 'APPR', type: 'alphabetic', categories: ['otp', 'marketing'] }]);
    expect((await repo.allApproved()).filter((r) => r.accountId === acc).map((r) => r.senderId)).toEqual(['APPR']);
  });

  it('when two operators decide the same registration at once, then exactly one wins', async () => {
    const acc = await newAccount('race');
    const reg = (await repo.create(acc, draft(), 'a'))!;
    await repo.submit(acc, reg.id, quote, ['draft'], 'a');

    const outcomes = await Promise.all([
      repo.decide(reg.id, 'approved', null, ['submitted'], 'operator:one'),
      repo.decide(reg.id, 'rejected', 'no', ['submitted'], 'operator:two'),
    ]);

    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'conflict')).toHaveLength(1);
    expect((await repo.get(acc, reg.id))!.history.filter((h) => h.action === 'approved' || h.action === 'rejected')).toHaveLength(1);
  });
});
