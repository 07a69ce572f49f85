/**
 * The registration workflow: draft → submitted → approved | rejected, a rejected registration is
 * edited and submitted again. Every input is checked against the destination country's rules
 * (it must be in the table, the sender's type must be allowed there); submission quotes the fees
 * and lead time in force. Status moves that the current status forbids are 409s.
 */
import type { Category } from '../accounts/account.js';
import { AppError, notFound } from '../http/app-error.js';
import type { SenderIdRules, CountryRules } from './sender-id-rules.js';
import { classifySender, typeAllowed, type SenderType } from './sender-type.js';
import type {
  MoveResult, RegistrationPatch, RegistrationStatus, SenderDocument, SenderRegistration, SenderRegistrationRepository,
} from './sender-registration.repository.js';

/** Which statuses each move starts from. */
export const TRANSITIONS = {
  edit: ['draft', 'rejected'],
  submit: ['draft', 'rejected'],
  approve: ['submitted'],
  reject: ['submitted'],
} as const satisfies Record<string, readonly RegistrationStatus[]>;
type Move = keyof typeof TRANSITIONS;

export interface RegistrationInput {
  country: string;
  senderId: string;
  categories: Category[];
  useCase?: string;
  documents?: SenderDocument[];
}

export interface SenderRegistrationDeps {
  repo: SenderRegistrationRepository;
  rules: SenderIdRules;
  /** Called after an operator decision, so the send path sees the account's approved senders at once. */
  onDecision: (accountId: string) => Promise<void> | void;
}

export class SenderRegistrations {
  constructor(private readonly deps: SenderRegistrationDeps) {}

  async create(accountId: string, input: RegistrationInput): Promise<SenderRegistration> {
    const senderType = this.check(input.country, input.senderId).type;
    const created = await this.deps.repo.create(accountId, {
      country: input.country, senderId: input.senderId, senderType, categories: input.categories,
      useCase: input.useCase ?? null, documents: input.documents ?? [],
    }, accountActor(accountId));
    if (!created) throw exists(input.senderId, input.country);
    return created;
  }

  async edit(accountId: string, id: string, patch: Partial<RegistrationInput>): Promise<SenderRegistration> {
    const current = await this.deps.repo.get(accountId, id);
    if (!current) throw notFound(`Sender ID registration ${id}`);
    const change: RegistrationPatch = { ...patch };
    if (patch.country !== undefined || patch.senderId !== undefined) {
      const country = patch.country ?? current.country;
      const senderId = patch.senderId ?? current.senderId;
      change.senderType = this.check(country, senderId).type;
    }
    const moved = await this.deps.repo.edit(accountId, id, change, TRANSITIONS.edit, accountActor(accountId));
    return this.outcome(moved, id, 'edit', { senderId: patch.senderId ?? current.senderId, country: patch.country ?? current.country });
  }

  async submit(accountId: string, id: string): Promise<SenderRegistration> {
    const current = await this.deps.repo.get(accountId, id);
    if (!current) throw notFound(`Sender ID registration ${id}`);
    if (!(TRANSITIONS.submit as readonly string[]).includes(current.status)) throw invalidMove(current, 'submit');
    const rules = this.check(current.country, current.senderId).rules;
    if (!current.useCase?.trim()) {
      throw new AppError(400, 'SENDER_ID_INCOMPLETE', 'A submission needs a use case: describe who sends what to whom (PATCH the registration with useCase)', 'useCase');
    }
    const required = current.categories.filter((c) => rules.registrationRequired[c]);
    if (required.length > 0 && current.documents.length === 0) {
      throw new AppError(400, 'SENDER_ID_INCOMPLETE', `${rules.name} requires registration for ${required.join(', ')}: attach at least one document (company registration, letter of authorisation) with PATCH documents`, 'documents');
    }
    const moved = await this.deps.repo.submit(accountId, id, { ...rules.fees, leadTimeDays: rules.leadTimeDays }, TRANSITIONS.submit, accountActor(accountId));
    return this.outcome(moved, id, 'submit');
  }

  async approve(id: string, operator: string | undefined): Promise<SenderRegistration> {
    return this.decide(id, 'approved', null, operator);
  }

  async reject(id: string, reason: string, operator: string | undefined): Promise<SenderRegistration> {
    return this.decide(id, 'rejected', reason, operator);
  }

  private async decide(id: string, to: 'approved' | 'rejected', reason: string | null, operator: string | undefined): Promise<SenderRegistration> {
    const moved = await this.deps.repo.decide(id, to, reason, TRANSITIONS[to === 'approved' ? 'approve' : 'reject'], operator ? `operator:${operator}` : 'operator');
    const registration = this.outcome(moved, id, to === 'approved' ? 'approve' : 'reject');
    await this.deps.onDecision(registration.accountId);
    return registration;
  }

  /** The country's rules and the sender's type, or the 400 saying which rule the input breaks. */
  private check(country: string, senderId: string): { rules: CountryRules; type: SenderType } {
    const rules = this.deps.rules.get(country);
    if (!rules) {
      throw new AppError(400, 'COUNTRY_NOT_SUPPORTED', `The sender ID rules table has no entry for ${country}; GET /v1/sender-id-rules lists the supported countries`, 'country');
    }
    const cls = classifySender(senderId);
    if (!cls.ok) throw new AppError(400, 'VALIDATION_FAILED', `senderId: ${cls.message}`, 'senderId');
    if (!typeAllowed(cls.type, rules.senderTypes)) {
      throw new AppError(400, 'SENDER_ID_TYPE_NOT_ALLOWED', `${rules.name} does not take ${cls.type.replace('_', ' ')} sender IDs; allowed: ${rules.senderTypes.join(', ')}`, 'senderId');
    }
    return { rules, type: cls.type };
  }

  private outcome(moved: MoveResult, id: string, move: Move, dup?: { senderId: string; country: string }): SenderRegistration {
    switch (moved.kind) {
      case 'ok': return moved.registration;
      case 'not_found': throw notFound(`Sender ID registration ${id}`);
      case 'conflict': throw invalidMove({ id, status: moved.status }, move);
      case 'duplicate': throw exists(dup?.senderId ?? '', dup?.country ?? '');
    }
  }
}

const PAST: Record<Move, string> = { edit: 'edited', submit: 'submitted', approve: 'approved', reject: 'rejected' };
const accountActor = (accountId: string) => `account:${accountId}`;

function invalidMove(r: { id: string; status: RegistrationStatus }, move: Move): AppError {
  const from = TRANSITIONS[move].join(' or ');
  return new AppError(409, 'SENDER_ID_INVALID_TRANSITION', `Sender ID registration ${r.id} is ${r.status}; only ${from} registrations can be ${PAST[move]}`, 'status', { status: r.status, allowedFrom: TRANSITIONS[move] });
}

const exists = (senderId: string, country: string) =>
  new AppError(409, 'SENDER_ID_EXISTS', `This account already has a registration of "${senderId}" for ${country}; edit that one`, 'senderId');
