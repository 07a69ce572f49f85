import type { FrequencyCapRules } from '../policy/frequency-caps.js';
import type { ChainInput } from '../fallback/fallback-send.js';

/** Account model and its per-account settings, with the defaults DOMAIN.md gives. */
export const CATEGORIES = ['otp', 'notification', 'marketing'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CHARGING_MODES = ['submit', 'success', 'receipt', 'receipt_half_unknown', 'receipt_full_unknown'] as const;
export type ChargingMode = (typeof CHARGING_MODES)[number];

export interface AccountSettings {
  /** Stray 【】 in the body: reject the message, or rewrite them to [ ]. */
  strayBrackets: 'reject' | 'rewrite';
  /** Marketing text without 拒收请回复R: reject, or append it. */
  marketingSuffix: 'reject' | 'append';
  /** Outside the sending window: reject, or hold until the window opens. */
  outsideWindow: 'reject' | 'hold';
  marketingWindow: { start: string; end: string };
  timeZone: string;
  /** High-risk accounts (e.g. finance) get the narrower window and the 1/day marketing cap. */
  highRisk: boolean;
  keywordGroups: string[];
  /** Global blacklist groups this account honours, besides its own unsubscribe group. */
  blacklistGroups: string[];
  blockedProvinces: string[];
  /** Report one status per long message instead of one per part. */
  reportPerMessage: boolean;
  /** Pool weights follow each channel's recent success rate and latency (off: the configured weights). */
  adaptiveRouting: boolean;
  /** Categories whose pool weights follow each route's recent backfill rate (DOMAIN.md §6); empty = off. */
  backfillRouting: Category[];
  /** Failed-within-30-s resends allowed per day (0 disables resending). */
  dailyResendCap: number;
  /** Smart SMS: charged per handset that rendered the card (parse reports are aggregate counts). */
  parseFeeMillis: number;
  /** Overrides of the frequency caps (DOMAIN.md §4 defaults); null switches one off. */
  caps: Partial<Omit<FrequencyCapRules, 'timeZone'>>;
  /** Links and phone numbers in the text (引流信息) must be registered when this is on. */
  enforceRegisteredContent: boolean;
  registeredLinks: string[];
  registeredPhones: string[];
  /**
   * The channel chain a send of each category takes when the request names none, e.g.
   * `{ marketing: ['rcs', 'smart_sms', 'sms'] }` (src/fallback); none: plain text SMS.
   */
  fallbackChains: Partial<Record<Category, ChainInput>>;
}

export const DEFAULT_SETTINGS: AccountSettings = Object.freeze({
  strayBrackets: 'reject',
  marketingSuffix: 'reject',
  outsideWindow: 'reject',
  marketingWindow: { start: '08:00', end: '22:00' },
  timeZone: 'Asia/Shanghai',
  highRisk: false,
  keywordGroups: [],
  blacklistGroups: ['complainers_high', 'complainers_low'],
  blockedProvinces: [],
  reportPerMessage: false,
  adaptiveRouting: false,
  backfillRouting: [],
  dailyResendCap: 1000,
  parseFeeMillis: 30,
  caps: {},
  enforceRegisteredContent: true,
  registeredLinks: [],
  registeredPhones: [],
  fallbackChains: {},
}) as AccountSettings;

export interface Account {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  ipAllowlist: string[];
  categories: Category[];
  billingType: 'prepaid' | 'postpaid';
  chargingMode: ChargingMode;
  balanceMillis: number;
  pricePerPartMillis: number;
  callbackUrl: string | null;
  callbackSecret: string;
  callbackRatePerS: number;
  reportMode: 'push' | 'pull';
  extension: string | null;
  settings: AccountSettings;
}

export function withDefaults(partial: Partial<AccountSettings> | undefined): AccountSettings {
  return { ...DEFAULT_SETTINGS, ...(partial ?? {}) };
}
