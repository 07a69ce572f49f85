/**
 * Who may bind: system_id and password against the stored credentials, the account's status and IP
 * allowlist, and the credentials' bind limit. Answers with the command_status SMPP 3.4 names for
 * each refusal, so an ESME's log says what to fix.
 */
import type { AccountRepository } from '../accounts/account.repository.js';
import { SmppStatus } from '../channels/smpp/smpp-types.js';
import { ipAllowlistMatcher } from '../accounts/ip-allowlist.js';
import type { SmppCredentialsRepository } from './smpp-credentials.repository.js';
import { verifySmppPassword } from './smpp-password.js';
import type { BoundCustomer } from './smpp-ingest.js';

export type BindDecision = { ok: true; customer: BoundCustomer } | { ok: false; status: number; reason: string };

export interface BindRequest {
  systemId: string;
  password: string;
  /** Remote address of the TCP connection. */
  ip: string;
  /** Binds this system_id holds right now (this process). */
  activeBinds: number;
}

export async function authorizeBind(deps: { credentials: SmppCredentialsRepository; accounts: AccountRepository }, req: BindRequest): Promise<BindDecision> {
  const found = await deps.credentials.forBind(req.systemId);
  if (!found) return { ok: false, status: SmppStatus.ESME_RINVSYSID, reason: 'unknown system_id' };
  if (!(await verifySmppPassword(req.password, found.passwordHash))) {
    return { ok: false, status: SmppStatus.ESME_RINVPASWD, reason: 'wrong password' };
  }
  const account = await deps.accounts.findById(found.credentials.accountId);
  if (!account || account.status !== 'active') return { ok: false, status: SmppStatus.ESME_RBINDFAIL, reason: 'account suspended' };
  if (!ipAllowlistMatcher(account.ipAllowlist)(req.ip)) {
    return { ok: false, status: SmppStatus.ESME_RBINDFAIL, reason: `address ${req.ip} is not in the account's IP allowlist` };
  }
  if (req.activeBinds >= found.credentials.maxBinds) {
    return { ok: false, status: SmppStatus.ESME_RBINDFAIL, reason: `bind limit of ${found.credentials.maxBinds} reached` };
  }
  return { ok: true, customer: { account, credentials: found.credentials } };
}
