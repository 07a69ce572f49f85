import { describe, expect, it } from 'vitest';
import { loadSenderIdRules } from '../../../src/senders/sender-id-rules.js';
import { SenderDirectory, type ApprovedRegistration, type ApprovedSource } from '../../../src/senders/sender-directory.js';

/** An in-memory source whose full listing can be held back, to interleave a reload with a decision. */
class Source implements ApprovedSource {
  rows: ApprovedRegistration[] = [];
  hold?: Promise<void>;
  async allApproved() {
    const snapshot = [...this.rows];
    await this.hold;
    return snapshot;
  }
  async approvedOf(accountId: string) {
    return this.rows.filter((r) => r.accountId === accountId);
  }
}

const acme: ApprovedRegistration = { accountId: 'acc_a', country: 'VN', senderId: 'ACME', type: 'alphabetic', categories: ['marketing'] };

describe('the sender directory (approved registrations in memory)', () => {
  it('when reloaded, then decisions see the approved senders of each account and country only', async () => {
    const source = new Source();
    source.rows = [acme];
    const dir = new SenderDirectory(loadSenderIdRules(), source);
    await dir.reload();
    expect(dir.decide('acc_a', 'VN', 'marketing', 'ACME')).toMatchObject({ ok: true, sender: 'ACME', registered: true });
    expect(dir.decide('acc_b', 'VN', 'marketing', 'ACME')).toMatchObject({ ok: false, code: 'SENDER_NOT_REGISTERED' });
    expect(dir.decide('acc_a', 'ID', 'marketing', 'ACME')).toMatchObject({ ok: false, code: 'SENDER_NOT_REGISTERED' });
  });

  it('when one account is reloaded after a decision, then its change applies at once', async () => {
    const source = new Source();
    const dir = new SenderDirectory(loadSenderIdRules(), source);
    await dir.reload();
    source.rows = [acme];
    await dir.reloadAccount('acc_a');
    expect(dir.decide('acc_a', 'VN', 'marketing', 'ACME')).toMatchObject({ ok: true, registered: true });
  });

  it('when an account is reloaded while a full reload is in flight, then the older full snapshot does not undo it', async () => {
    const source = new Source();
    const dir = new SenderDirectory(loadSenderIdRules(), source);
    let release!: () => void;
    source.hold = new Promise((r) => (release = r));
    const full = dir.reload(); // snapshot taken before the approval
    source.rows = [acme];
    await dir.reloadAccount('acc_a');
    release();
    await full;
    expect(dir.decide('acc_a', 'VN', 'marketing', 'ACME')).toMatchObject({ ok: true, registered: true });
  });
});
