/**
 * The country rules table for sender IDs (data/sender-id-rules.json, documented in
 * docs/sender-ids.md). Read and validated once at start: a broken file stops the platform with a
 * message naming the country and the field, rather than letting a send discover it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CATEGORIES, type Category } from '../accounts/account.js';
import { SENDER_TYPES, classifySender, typeAllowed, type SenderType } from './sender-type.js';

export const DEFAULT_RULES_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'sender-id-rules.json');

export const OPT_OUT_METHODS = ['keyword', 'opt_out_number', 'operator_website', 'national_dnc', 'none'] as const;
export type OptOutMethod = (typeof OPT_OUT_METHODS)[number];

const money = z.number().min(0).max(100_000).nullable();

const countryRulesSchema = z
  .object({
    name: z.string().min(1),
    senderTypes: z.array(z.enum(SENDER_TYPES)).min(1),
    registrationRequired: z.object(Object.fromEntries(CATEGORIES.map((c) => [c, z.boolean()])) as Record<Category, z.ZodBoolean>).strict(),
    leadTimeDays: z.number().int().min(0).max(365),
    fees: z.object({ oneOffUsd: money, monthlyUsd: money }).strict(),
    optOut: z.object({ method: z.enum(OPT_OUT_METHODS), keywords: z.array(z.string().min(1)), details: z.string().min(1).optional() }).strict(),
    genericSender: z.string().nullable(),
    note: z.string().min(1),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.optOut.method === 'keyword' && r.optOut.keywords.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['optOut', 'keywords'], message: 'the keyword method needs at least one keyword' });
    }
    if (Object.values(r.registrationRequired).some(Boolean) && r.leadTimeDays === 0) {
      ctx.addIssue({ code: 'custom', path: ['leadTimeDays'], message: 'a country that requires registration has a lead time of at least one day' });
    }
    if (r.genericSender !== null) {
      const c = classifySender(r.genericSender);
      if (!c.ok) ctx.addIssue({ code: 'custom', path: ['genericSender'], message: c.message });
      else if (!typeAllowed(c.type, r.senderTypes)) {
        ctx.addIssue({ code: 'custom', path: ['genericSender'], message: `a sender of type ${c.type} is not among the country's senderTypes` });
      }
    }
  });

const fileSchema = z
  .object({
    $comment: z.string().optional(),
    updated: z.string().min(1),
    countries: z.record(
      z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code in capitals').refine((c) => c !== 'CN', 'CN is domestic traffic: it uses signatures, not sender IDs'),
      countryRulesSchema,
    ),
  })
  .strict();

/** One destination country's sender ID rules (indicative industry facts). */
export interface CountryRules {
  country: string;
  name: string;
  /** Sender types operators accept; `alphanumeric` admits alphabetic senders too. */
  senderTypes: SenderType[];
  /** Whether a sender must be registered (approved) before traffic of that category passes. */
  registrationRequired: Record<Category, boolean>;
  /** Typical days from submission to approval. */
  leadTimeDays: number;
  /** Registration fees in USD; null: none. */
  fees: { oneOffUsd: number | null; monthlyUsd: number | null };
  optOut: { method: OptOutMethod; keywords: string[]; details?: string };
  /** The platform's shared sender for the country; null: the route channel's own source address. */
  genericSender: string | null;
  note: string;
}

/** The loaded table. */
export class SenderIdRules {
  private readonly byCountry: ReadonlyMap<string, CountryRules>;

  constructor(readonly updated: string, rules: CountryRules[]) {
    this.byCountry = new Map(rules.map((r) => [r.country, Object.freeze(r)]));
  }

  /** Rules of a country (ISO alpha-2, any case); undefined when the table has none. */
  get(country: string): CountryRules | undefined {
    return this.byCountry.get(country.toUpperCase());
  }

  /** Every country, by code. */
  list(): CountryRules[] {
    return [...this.byCountry.values()].sort((a, b) => a.country.localeCompare(b.country));
  }

  /** Whether the country requires registration for any of these categories. */
  requiresRegistration(country: string, categories: readonly Category[]): boolean {
    const r = this.get(country);
    return !!r && categories.some((c) => r.registrationRequired[c]);
  }
}

/** Thrown for a missing, unparsable or invalid rules file; the message names country and field. */
export class SenderIdRulesError extends Error {}

/** Parses the table's JSON text. */
export function parseSenderIdRules(json: string, source = 'sender ID rules'): SenderIdRules {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new SenderIdRulesError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => {
      const [top, country, ...field] = i.path.map(String);
      // A bad record key carries the key's own problems inside.
      const message = i.code === 'invalid_key' ? `not a valid country code (${i.issues.map((k) => k.message).join('; ')})` : i.message;
      if (top === 'countries' && country !== undefined) {
        return field.length ? `country ${country}, field ${field.join('.')}: ${message}` : `country ${country}: ${message}`;
      }
      return `field ${i.path.join('.') || '(root)'}: ${message}`;
    });
    throw new SenderIdRulesError(`${source} is invalid: ${problems.join('; ')}`);
  }
  const rules = Object.entries(parsed.data.countries).map(([country, r]): CountryRules => ({ country, ...r }));
  return new SenderIdRules(parsed.data.updated, rules);
}

/** Reads and validates the table; throws SenderIdRulesError naming the problem. */
export function loadSenderIdRules(file = DEFAULT_RULES_FILE): SenderIdRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SenderIdRulesError(`${file}: cannot be read (${(err as Error).message})`);
  }
  return parseSenderIdRules(text, file);
}
