/**
 * The smart-SMS (card SMS, 阅信) parse platform's HTTP+JSON API, as the adapter sends it and the
 * bundled simulator accepts it. Modelled on the Chinese providers' card-SMS APIs (template review,
 * parse links on a domain registered in advance, bulk or one link per number with up to 10,000
 * numbers a call, support query per number, parse reports as aggregate counts only). Request bodies
 * are zod schemas so the simulator refuses what a provider would refuse, naming the field.
 * docs/smart-sms-provider.md describes the API for humans.
 */
import { z } from 'zod';

/** Numbers per link request and per support query (the providers' published limit). */
export const MAX_NUMBERS_PER_CALL = 10_000;
/** Batch ids or template ids per report query. */
export const MAX_IDS_PER_REPORT = 100;
/** Days per daily report query. */
export const MAX_REPORT_DAYS = 90;

/** A mainland mobile number as the providers take it: 11 digits, no country code. */
export const PROVIDER_MOBILE = /^1[3-9]\d{9}$/;
/** A registered link domain: a host name, optionally with a port (the simulator's own address). */
export const LINK_DOMAIN = /^(?=.{1,253}(?::\d{1,5})?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/i;

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const TEMPLATE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ProviderTemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/** What the vendors review: enough of the card to judge it, plus the card JSON itself when given. */
export const cardSummarySchema = z.object({
  title: z.string().min(1).max(64).describe('Card title as the handset shows it.'),
  text: z.string().max(500).optional().describe('Body text or summary of the card.'),
  mediaUrl: httpUrl.optional().describe('Main image or video cover.'),
  buttons: z.array(z.object({
    text: z.string().min(1).max(25),
    action: z.string().min(1).max(32).describe('openUrl, openApp, openMiniProgram, dial, copyCode, reply…'),
  }).strict()).max(4).optional(),
}).strict();
export type CardSummary = z.infer<typeof cardSummarySchema>;

/** POST /api/v1/templates */
export const registerTemplateSchema = z.object({
  outTemplateId: z.string().min(1).max(64).describe("The caller's own template id (echoed back)."),
  name: z.string().min(1).max(64),
  cardType: z.string().min(1).max(32),
  summary: cardSummarySchema,
  card: z.record(z.string(), z.unknown()).optional().describe('The full card JSON, for vendor review.'),
  domain: z.string().regex(LINK_DOMAIN, 'a host name registered with the provider'),
  customUrl: httpUrl.describe('Opened when a handset cannot render the card (the H5 page).'),
}).strict();
export type RegisterTemplateRequest = z.infer<typeof registerTemplateSchema>;

/** A template as the provider reports it. */
export interface ProviderTemplate {
  templateId: string;
  outTemplateId: string;
  status: ProviderTemplateStatus;
  /** Why the vendors rejected it; null otherwise. */
  reason: string | null;
  domain: string;
  customUrl: string;
  createdAt: string;
  reviewedAt: string | null;
}

export const LINK_TYPES = ['personalised', 'bulk'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** POST /api/v1/links */
export const linkRequestSchema = z.object({
  templateId: z.string().min(1).max(64),
  domain: z.string().regex(LINK_DOMAIN, 'a host name registered with the provider'),
  outId: z.string().min(1).max(96).describe('Caller request id: a repeat returns the first answer (safe retries).'),
  type: z.enum(LINK_TYPES),
  customUrl: httpUrl.optional().describe("Bulk: the H5 page for every number (default: the template's)."),
  recipients: z.array(z.object({
    mobile: z.string().regex(PROVIDER_MOBILE, 'an 11-digit mainland mobile number'),
    customUrl: httpUrl.optional().describe("Personalised: this number's H5 page (default: the template's)."),
    params: z.record(z.string().max(64), z.string().max(256)).optional().describe('Dynamic card parameters.'),
  }).strict()).min(1).max(MAX_NUMBERS_PER_CALL),
}).strict();
export type LinkRequest = z.infer<typeof linkRequestSchema>;

export interface LinkResponse {
  batchId: string;
  outId: string;
  templateId: string;
  type: LinkType;
  count: number;
  /** Bulk: the one link every number gets. */
  url?: string;
  /** Personalised: one link per number, in request order. */
  links?: Array<{ mobile: string; url: string }>;
}

/** POST /api/v1/support */
export const supportRequestSchema = z.object({
  templateId: z.string().min(1).max(64).optional(),
  mobiles: z.array(z.string().regex(PROVIDER_MOBILE, 'an 11-digit mainland mobile number')).min(1).max(MAX_NUMBERS_PER_CALL),
}).strict();
export type SupportRequest = z.infer<typeof supportRequestSchema>;

export interface SupportResponse {
  /** In request order. */
  results: Array<{ mobile: string; supported: boolean; vendor: string }>;
}

/** Aggregate counts. Never per number: the providers do not say which numbers parsed. */
export interface ParseCounts {
  /** SMS carrying the link that the provider counts as sent. */
  sent: number;
  /** Rendered as a card on the handset (billed). */
  parsed: number;
  /** Not rendered: unsupported handset or render failure; the text (and H5 page) was shown. */
  failed: number;
}

/** POST /api/v1/reports/batches */
export const batchReportRequestSchema = z.object({
  batchIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_IDS_PER_REPORT),
}).strict();
export type BatchReportRequest = z.infer<typeof batchReportRequestSchema>;

export interface BatchReport extends ParseCounts {
  batchId: string;
  templateId: string;
}

export interface BatchReportResponse {
  /** When the counts were computed; later reports of a batch carry running totals. */
  asOf: string;
  reports: BatchReport[];
  /** Batch ids the provider does not know (never issued, or expired from its records). */
  unknownBatchIds: string[];
}

/** POST /api/v1/reports/daily: per template and day (China time, UTC+8) of sending. */
export const dailyReportRequestSchema = z.object({
  templateIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_IDS_PER_REPORT),
  from: day,
  to: day,
}).strict().refine((r) => r.from <= r.to, { path: ['to'], message: 'must not be before from' });
export type DailyReportRequest = z.infer<typeof dailyReportRequestSchema>;

export interface DailyReport extends ParseCounts {
  templateId: string;
  date: string;
}

export interface DailyReportResponse {
  asOf: string;
  reports: DailyReport[];
}

/** Every answer: `code` "OK" with `data`, or an error code with a message. */
export type ProviderEnvelope<T> =
  | { code: 'OK'; message: string; requestId: string; data: T }
  | ProviderErrorBody;

export interface ProviderErrorBody {
  code: ProviderErrorCode | string;
  message: string;
  requestId: string;
}

/** The provider's error codes and the HTTP status it answers them with. */
export const PROVIDER_ERRORS = {
  InvalidParameter: 400,
  InvalidMobile: 400,
  TooManyMobiles: 400,
  DomainNotRegistered: 400,
  MissingSignature: 401,
  InvalidAppKey: 401,
  SignatureExpired: 401,
  SignatureDoesNotMatch: 401,
  NonceReused: 401,
  TemplateNotFound: 404,
  NotFound: 404,
  TemplateNotApproved: 409,
  Throttled: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
} as const;
export type ProviderErrorCode = keyof typeof PROVIDER_ERRORS;
