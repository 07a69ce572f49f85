/**
 * The checks that need shared state, run once per batch rather than per message: blacklists
 * (including the account's unsubscribe group), whitelists, frequency caps and anti-bombing.
 * Every lookup is one Redis round trip for the whole batch.
 */
import type { Account, Category } from '../accounts/account.js';
import { unsubscribeGroup, type BlacklistCache, type WhitelistCache } from '../policy/blacklist.js';
import { capRules, type FrequencyCapChecker, type FrequencyCapRules } from '../policy/frequency-caps.js';

export interface GateInput {
  e164: string;
  text: string;
}

export type GateResult = { ok: true } | { ok: false; code: string; message: string };

export interface PolicyGateDeps {
  blacklist: BlacklistCache;
  whitelist: WhitelistCache;
  caps: FrequencyCapChecker;
  /** The checker's rulesFor reads this; the gate keeps each account's entry current. */
  capRulesByAccount: Map<string, FrequencyCapRules>;
}

export async function runPolicyGate(deps: PolicyGateDeps, account: Account, category: Category, items: GateInput[]): Promise<GateResult[]> {
  const results: GateResult[] = items.map(() => ({ ok: true }));
  if (items.length === 0) return results;
  const numbers = items.map((i) => i.e164);
  // Replying R opts a number out of marketing; codes and notices the user asked for still reach it.
  const groups = category === 'marketing' ? [...account.settings.blacklistGroups, unsubscribeGroup(account.id)] : account.settings.blacklistGroups;
  const [hits, whitelisted] = await Promise.all([
    deps.blacklist.checkBatch(account.id, numbers, groups),
    deps.whitelist.checkBatch(account.id, numbers),
  ]);
  deps.capRulesByAccount.set(account.id, capRules({ ...account.settings.caps, timeZone: account.settings.timeZone }));
  const capIdx: number[] = [];
  items.forEach((item, i) => {
    const hit = hits.get(item.e164);
    if (hit && !whitelisted.has(item.e164)) {
      results[i] = { ok: false, code: hit.source === 'mo_unsubscribe' ? 'BLACKLIST_UNSUBSCRIBED' : `BLACKLIST_${hit.level.toUpperCase()}`, message: `Number is on blacklist group ${hit.group} (${hit.level})` };
    } else capIdx.push(i);
  });
  const capResults = await deps.caps.checkBatch(capIdx.map((i) => ({
    accountId: account.id,
    e164: items[i].e164,
    category,
    highRisk: account.settings.highRisk && category === 'marketing',
    text: items[i].text,
    whitelisted: whitelisted.has(items[i].e164),
  })));
  capResults.forEach((r, k) => {
    if (!r.allowed) results[capIdx[k]] = { ok: false, code: r.code, message: r.message };
  });
  return results;
}
