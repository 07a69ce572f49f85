/**
 * What the synchronous accept step needs to choose a sender: the rules table and every account's
 * approved registrations, held in memory.
 *
 * Why a cache rather than a query per request: preparing a request is synchronous and on the hot
 * path, approved registrations are few (a handful per account and country) and change rarely (an
 * operator decision after days of lead time). The process that records a decision reloads that
 * account at once; other processes pick it up with the platform's periodic refresh (10 s).
 */
import type { Category } from '../accounts/account.js';
import type { SenderIdRules } from './sender-id-rules.js';
import { decideSender, type ApprovedSender, type SenderDecision } from './sender-policy.js';

/** An approved registration as the repository lists it. */
export interface ApprovedRegistration extends ApprovedSender {
  accountId: string;
  country: string;
}

/** Where approved registrations come from (the registration repository). */
export interface ApprovedSource {
  allApproved(): Promise<ApprovedRegistration[]>;
  approvedOf(accountId: string): Promise<ApprovedRegistration[]>;
}

/** Chooses the sender of one international message (prepare-accept.ts). */
export interface SenderLookup {
  decide(accountId: string, country: string, category: Category, requested: string | null): SenderDecision;
}

type ByCountry = Map<string, ApprovedSender[]>;

export class SenderDirectory implements SenderLookup {
  private byAccount = new Map<string, ByCountry>();
  /** Accounts reloaded while a full reload was in flight: their fresher entries win. */
  private touched: Set<string> | undefined;

  constructor(readonly rules: SenderIdRules, private readonly source: ApprovedSource) {}

  decide(accountId: string, country: string, category: Category, requested: string | null): SenderDecision {
    const rules = this.rules.get(country);
    return decideSender({
      country, category, requested, rules,
      approved: this.byAccount.get(accountId)?.get(country) ?? [],
      genericSender: rules?.genericSender ?? null,
    });
  }

  /** Reloads every account's approved registrations (at start and periodically). */
  async reload(): Promise<void> {
    const touched = new Set<string>();
    this.touched = touched;
    try {
      const fresh = new Map<string, ByCountry>();
      for (const r of await this.source.allApproved()) add(fresh, r);
      for (const id of touched) {
        const kept = this.byAccount.get(id);
        if (kept) fresh.set(id, kept);
        else fresh.delete(id);
      }
      this.byAccount = fresh;
    } finally {
      if (this.touched === touched) this.touched = undefined;
    }
  }

  /** Reloads one account at once (after an operator approved or rejected one of its senders). */
  async reloadAccount(accountId: string): Promise<void> {
    const fresh = new Map<string, ByCountry>();
    for (const r of await this.source.approvedOf(accountId)) add(fresh, r);
    const entry = fresh.get(accountId);
    if (entry) this.byAccount.set(accountId, entry);
    else this.byAccount.delete(accountId);
    this.touched?.add(accountId);
  }
}

function add(map: Map<string, ByCountry>, r: ApprovedRegistration): void {
  let countries = map.get(r.accountId);
  if (!countries) map.set(r.accountId, (countries = new Map()));
  const list = countries.get(r.country) ?? [];
  list.push({ senderId: r.senderId, type: r.type, categories: r.categories });
  countries.set(r.country, list);
}
