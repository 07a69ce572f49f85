/** Validation of per-account settings sent by operators: every key and value is checked by name. */
import { z } from 'zod';
import { CATEGORIES } from './account.js';
import { chainSchema } from '../fallback/fallback-send.js';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
const capValue = z.number().int().min(1).max(1_000_000).nullable();

export const accountSettingsSchema = z
  .object({
    strayBrackets: z.enum(['reject', 'rewrite']),
    marketingSuffix: z.enum(['reject', 'append']),
    outsideWindow: z.enum(['reject', 'hold']),
    marketingWindow: z.object({ start: clock, end: clock }).strict(),
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Asia/Shanghai'),
    highRisk: z.boolean(),
    keywordGroups: z.array(z.string().max(40)).max(50),
    blacklistGroups: z.array(z.string().regex(/^[a-z_]{1,40}$/)).max(50),
    blockedProvinces: z.array(z.string().max(20)).max(40),
    reportPerMessage: z.boolean(),
    adaptiveRouting: z.boolean(),
    backfillRouting: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).transform((cs) => [...new Set(cs)]),
    dailyResendCap: z.number().int().min(0).max(10_000_000),
    parseFeeMillis: z.number().int().min(0).max(100_000),
    caps: z
      .object({
        numberPerMinute: capValue,
        numberPerDay: capValue,
        contentPerMinute: capValue,
        contentPerDay: capValue,
        highRiskPerDay: capValue,
        antiBombing: z.array(z.object({ windowSeconds: z.number().int().min(1).max(86_400), limit: z.number().int().min(1).max(1000) }).strict()).max(10),
      })
      .strict()
      .partial(),
    enforceRegisteredContent: z.boolean(),
    registeredLinks: z.array(z.string().max(200)).max(100),
    registeredPhones: z.array(z.string().max(20)).max(100),
    fallbackChains: z.object({ otp: chainSchema, notification: chainSchema, marketing: chainSchema }).strict().partial(),
  })
  .strict()
  .partial();
