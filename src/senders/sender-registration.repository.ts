/**
 * SQL for sender ID registrations. Account-facing methods take the account id and put it in every
 * WHERE (tenant isolation); operator methods address a registration by id alone. Status changes
 * are conditional updates (`where status = any(from)`), so two concurrent moves cannot both win,
 * and each appends its history entry in the same statement.
 */
import { appendHistoryEvent } from '../db/review-history.js';
import { isoOrNull, type Db } from '../db/db-client.js';
import type { Category } from '../accounts/account.js';
import { newId } from '../ids.js';
import type { SenderType } from './sender-type.js';
import type { ApprovedRegistration, ApprovedSource } from './sender-directory.js';

export const REGISTRATION_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A supporting document: a name and where the operator can fetch it. */
export interface SenderDocument {
  name: string;
  url: string;
}

/** One entry of the registration's log. */
export interface RegistrationEvent {
  at: string;
  /** `account:<id>` or `operator[:<name>]`. */
  by: string;
  action: 'created' | 'edited' | 'submitted' | 'approved' | 'rejected';
  from: RegistrationStatus | null;
  to: RegistrationStatus;
  reason: string | null;
}

export interface SenderRegistration {
  id: string;
  accountId: string;
  country: string;
  senderId: string;
  senderType: SenderType;
  categories: Category[];
  status: RegistrationStatus;
  useCase: string | null;
  documents: SenderDocument[];
  rejectionReason: string | null;
  /** Quoted from the rules table at submission; null before. */
  fees: { oneOffUsd: number | null; monthlyUsd: number | null } | null;
  leadTimeDays: number | null;
  history: RegistrationEvent[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
}

export interface NewRegistration {
  country: string;
  senderId: string;
  senderType: SenderType;
  categories: Category[];
  useCase: string | null;
  documents: SenderDocument[];
}

export type RegistrationPatch = Partial<NewRegistration>;

/** A status move: done, or why not (absent in that scope, or in another status). */
export type MoveResult =
  | { kind: 'ok'; registration: SenderRegistration }
  | { kind: 'not_found' }
  | { kind: 'conflict'; status: RegistrationStatus }
  | { kind: 'duplicate' };

export interface ReviewFilter {
  status?: RegistrationStatus;
  accountId?: string;
  country?: string;
  limit: number;
}

const UNIQUE_VIOLATION = '23505';

function toView(r: Record<string, unknown>): SenderRegistration {
  const submitted = r.submitted_at != null;
  return {
    id: r.id as string,
    accountId: r.account_id as string,
    country: r.country as string,
    senderId: r.sender_id as string,
    senderType: r.sender_type as SenderType,
    categories: r.categories as Category[],
    status: r.status as RegistrationStatus,
    useCase: (r.use_case as string) ?? null,
    documents: r.documents as SenderDocument[],
    rejectionReason: (r.rejection_reason as string) ?? null,
    fees: submitted ? { oneOffUsd: (r.fee_one_off_usd as number) ?? null, monthlyUsd: (r.fee_monthly_usd as number) ?? null } : null,
    leadTimeDays: (r.lead_time_days as number) ?? null,
    history: r.history as RegistrationEvent[],
    createdAt: isoOrNull(r.created_at)!,
    updatedAt: isoOrNull(r.updated_at)!,
    submittedAt: isoOrNull(r.submitted_at),
    decidedAt: isoOrNull(r.decided_at),
  };
}

export class SenderRegistrationRepository implements ApprovedSource {
  constructor(private readonly db: Db) {}

  /** A new draft; undefined when the account already has this sender in this country. */
  async create(accountId: string, input: NewRegistration, by: string): Promise<SenderRegistration | undefined> {
    const at = new Date().toISOString();
    const event: RegistrationEvent = { at, by, action: 'created', from: null, to: 'draft', reason: null };
    const [row] = await this.db.query(
      `insert into sender_id_registrations (id, account_id, country, sender_id, sender_type, categories, use_case, documents, history, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $10)
       on conflict (account_id, country, sender_id) do nothing returning *`,
      [newId('sid'), accountId, input.country, input.senderId, input.senderType, input.categories, input.useCase,
        JSON.stringify(input.documents), JSON.stringify([event]), at],
    );
    return row ? toView(row) : undefined;
  }

  async get(accountId: string, id: string): Promise<SenderRegistration | undefined> {
    const [row] = await this.db.query('select * from sender_id_registrations where account_id = $1 and id = $2', [accountId, id]);
    return row ? toView(row) : undefined;
  }

  async list(accountId: string, f: { status?: RegistrationStatus; country?: string } = {}): Promise<SenderRegistration[]> {
    const rows = await this.db.query(
      `select * from sender_id_registrations where account_id = $1
         and ($2::text is null or status = $2) and ($3::text is null or country = $3) order by id`,
      [accountId, f.status ?? null, f.country ?? null],
    );
    return rows.map(toView);
  }

  /** Changes the given fields while the registration is in one of `from`. */
  async edit(accountId: string, id: string, patch: RegistrationPatch, from: readonly RegistrationStatus[], by: string): Promise<MoveResult> {
    const columns: Record<keyof NewRegistration, [string, string]> = {
      country: ['country', ''], senderId: ['sender_id', ''], senderType: ['sender_type', ''], categories: ['categories', ''],
      useCase: ['use_case', ''], documents: ['documents', '::jsonb'],
    };
    const params: unknown[] = [accountId, id, [...from]];
    const sets: string[] = [];
    for (const [key, [column, cast]] of Object.entries(columns) as [keyof NewRegistration, [string, string]][]) {
      if (patch[key] === undefined) continue;
      params.push(key === 'documents' ? JSON.stringify(patch[key]) : patch[key]);
      sets.push(`${column} = $${params.length}${cast}`);
    }
    params.push(new Date().toISOString(), by);
    const at = `$${params.length - 1}`;
    // An edit does not move the registration: its entry goes from and to the current status.
    const event = appendHistoryEvent(at, `$${params.length}`, `'edited'`, 'status', 'null');
    return this.move(`${sets.map((s) => `${s}, `).join('')}updated_at = ${at}::timestamptz, ${event}`, 'account_id = $1 and id = $2 and status = any($3::text[])', params, () => this.get(accountId, id));
  }

  /** Moves to submitted, quoting the fees and lead time in force now. */
  async submit(accountId: string, id: string, quote: { oneOffUsd: number | null; monthlyUsd: number | null; leadTimeDays: number }, from: readonly RegistrationStatus[], by: string): Promise<MoveResult> {
    const at = new Date().toISOString();
    const params = [accountId, id, [...from], quote.oneOffUsd, quote.monthlyUsd, quote.leadTimeDays, at, by];
    return this.move(
      `status = 'submitted', fee_one_off_usd = $4, fee_monthly_usd = $5, lead_time_days = $6, rejection_reason = null,
       submitted_at = $7::timestamptz, decided_at = null, updated_at = $7::timestamptz, ${appendHistoryEvent('$7', '$8', `'submitted'`, `'submitted'`, 'null')}`,
      'account_id = $1 and id = $2 and status = any($3::text[])', params, () => this.get(accountId, id),
    );
  }

  /** Operator: approves or rejects a registration that is in one of `from`. */
  async decide(id: string, to: 'approved' | 'rejected', reason: string | null, from: readonly RegistrationStatus[], by: string): Promise<MoveResult> {
    const at = new Date().toISOString();
    const params = [id, [...from], reason, at, by, to];
    return this.move(
      `status = $6, rejection_reason = $3, decided_at = $4::timestamptz, updated_at = $4::timestamptz, ${appendHistoryEvent('$4', '$5', '$6', '$6', '$3')}`,
      'id = $1 and status = any($2::text[])', params, () => this.findById(id),
    );
  }

  /** Operator: one registration, whichever account it belongs to. */
  async findById(id: string): Promise<SenderRegistration | undefined> {
    const [row] = await this.db.query('select * from sender_id_registrations where id = $1', [id]);
    return row ? toView(row) : undefined;
  }

  /** Operator: the review queue (oldest submission first), or any status. */
  async review(f: ReviewFilter): Promise<SenderRegistration[]> {
    const rows = await this.db.query(
      `select * from sender_id_registrations
        where ($1::text is null or status = $1) and ($2::text is null or account_id = $2) and ($3::text is null or country = $3)
        order by submitted_at nulls last, id limit $4`,
      [f.status ?? null, f.accountId ?? null, f.country ?? null, f.limit],
    );
    return rows.map(toView);
  }

  async allApproved(): Promise<ApprovedRegistration[]> {
    return (await this.db.query(`select account_id, country, sender_id, sender_type, categories from sender_id_registrations where status = 'approved'`)).map(approved);
  }

  async approvedOf(accountId: string): Promise<ApprovedRegistration[]> {
    return (await this.db.query(
      `select account_id, country, sender_id, sender_type, categories from sender_id_registrations where account_id = $1 and status = 'approved'`,
      [accountId],
    )).map(approved);
  }

  private async move(sets: string, where: string, params: unknown[], current: () => Promise<SenderRegistration | undefined>): Promise<MoveResult> {
    let rows;
    try {
      rows = await this.db.query(`update sender_id_registrations set ${sets} where ${where} returning *`, params);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) return { kind: 'duplicate' };
      throw err;
    }
    if (rows[0]) return { kind: 'ok', registration: toView(rows[0]) };
    const now = await current();
    return now ? { kind: 'conflict', status: now.status } : { kind: 'not_found' };
  }
}

const approved = (r: Record<string, unknown>): ApprovedRegistration => ({
  accountId: r.account_id as string,
  country: r.country as string,
  senderId: r.sender_id as string,
  type: r.sender_type as SenderType,
  categories: r.categories as Category[],
});
