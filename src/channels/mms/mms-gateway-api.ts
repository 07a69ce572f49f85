/**
 * The MMS gateway's HTTP API, modelled on Chinese MMS gateway APIs (彩信网关): JSON over HTTP,
 * requests signed like the smart-SMS provider's (x-app-key, x-timestamp, x-nonce, x-signature:
 * HMAC-SHA256 of method, path, timestamp, nonce and body), every answer an envelope
 * `{code, message, data?}` where code "0" is success and anything else the gateway's own error.
 *
 * - `POST /mms/v1/submit` — one message to one number: `outId` (the client's id; a repeat with the
 *   same outId returns the first msgId and sends nothing), `product` (which carrier limit applies),
 *   `mobile`, `subject`, `smil` and `parts` (name, contentType, base64 content). Answers
 *   `{msgId, size}`, size counted as in mms-size.ts.
 * - `POST /mms/v1/reports` — status reports, pulled: `{after, max}` answers the reports with a
 *   sequence number above `after` (at most `max`, ≤ 1000), oldest first, and `last`, the highest
 *   sequence number returned. Reports stay readable, so a reader that lost an answer asks again
 *   from its last cursor; applying a report twice changes nothing.
 *
 * Report statuses are the carriers' words: DELIVRD (on the handset), UNDELIV (the handset or
 * network refused it: MMS switched off, no data service), EXPIRED (not fetched in time), REJECTD.
 */
import { z } from 'zod';
import { MMS_GATEWAY_PRODUCTS } from './mms-profiles.js';

export const MMS_GATEWAY_PATHS = { submit: '/mms/v1/submit', reports: '/mms/v1/reports' } as const;

/** The gateway's error codes and the HTTP status they come with. */
export const MMS_GATEWAY_ERRORS = {
  '1001': { http: 401, meaning: 'authentication failed (app key, signature, timestamp or nonce)' },
  '1002': { http: 400, meaning: 'invalid parameter' },
  '1003': { http: 400, meaning: 'number refused (invalid, or on the carrier blacklist)' },
  '1006': { http: 400, meaning: 'message size exceeds the product limit (彩信大小超过限制)' },
  '1007': { http: 400, meaning: 'too many frames for the product' },
  '1008': { http: 400, meaning: 'content type not supported by the product' },
  '1009': { http: 429, meaning: 'submit rate exceeded' },
  '9999': { http: 500, meaning: 'gateway internal error' },
} as const;
export type MmsGatewayErrorCode = keyof typeof MMS_GATEWAY_ERRORS;

export const REPORT_STATS = ['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD'] as const;
export type MmsReportStat = (typeof REPORT_STATS)[number];

export const submitRequestSchema = z.object({
  outId: z.string().min(1).max(80),
  product: z.enum(MMS_GATEWAY_PRODUCTS),
  mobile: z.string().regex(/^\+?\d{6,15}$/),
  subject: z.string().max(200),
  smil: z.string().min(1).max(100_000),
  parts: z.array(z.object({
    name: z.string().min(1).max(100),
    contentType: z.string().min(1).max(100),
    content: z.string().max(4_000_000),
  })).min(1).max(40),
});
export type SubmitRequest = z.infer<typeof submitRequestSchema>;

export interface SubmitResponse {
  msgId: string;
  size: number;
}

export const reportsRequestSchema = z.object({
  after: z.number().int().min(0).default(0),
  max: z.number().int().min(1).max(1000).default(500),
});

export interface GatewayReport {
  seq: number;
  msgId: string;
  outId: string;
  mobile: string;
  status: MmsReportStat;
  /** The network's error code ("000" when delivered). */
  errCode: string;
  doneTime: string;
}

export interface ReportsResponse {
  reports: GatewayReport[];
  last: number;
}

export type GatewayEnvelope<T> = { code: '0'; message: string; data: T } | { code: string; message: string };
