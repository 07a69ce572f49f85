/**
 * The summary of a send, carried from the POST of the "New campaign" form to the campaign page it
 * redirects to (post/redirect/get: a reload does not send again). It travels in a short-lived
 * cookie scoped to /console/campaigns, shown once on the page of its own campaign, then cleared.
 * No server-side store, so any API process shows it. A cookie holds ~4 kB: the first rejected rows
 * only, numbers masked (the line number finds the row in the marketer's list), plus a count of
 * the rest.
 */
import type { Request, Response } from 'express';
import { cookieOptions, readCookie } from '../cookies.js';

export const FLASH_COOKIE = 'console_campaign_flash';
const FLASH_PATH = '/console/campaigns';
const FLASH_TTL_MS = 5 * 60_000;
/** Rejected rows the summary lists; the rest are counted. */
export const FLASH_MAX_REJECTED = 8;

export interface SendFlash {
  campaignId: string;
  accepted: number;
  /** All rejected recipients, including those not listed in `rejected`. */
  rejectedCount: number;
  rejected: Array<{ line: number; to: string; code: string; message: string }>;
  costMillis: number;
  smartSms: string;
}

/** "13800138000" → "138****8000": enough to recognise, not the whole number. */
export function maskNumber(n: string): string {
  const s = n.trim();
  if (s.length <= 7) return s.replace(/\d(?=\d{2})/g, '*');
  return `${s.slice(0, 3)}${'*'.repeat(Math.min(s.length - 7, 8))}${s.slice(-4)}`;
}

export function setSendFlash(res: Response, flash: SendFlash, secure: boolean): void {
  const value = Buffer.from(JSON.stringify(flash)).toString('base64url');
  res.cookie(FLASH_COOKIE, value, { ...cookieOptions(secure, new Date(Date.now() + FLASH_TTL_MS)), path: FLASH_PATH });
}

/** The flash of this campaign, if the browser carries one (then cleared); anything malformed is dropped. */
export function takeSendFlash(req: Request, res: Response, campaignId: string, secure: boolean): SendFlash | undefined {
  const raw = readCookie(req, FLASH_COOKIE);
  if (raw === undefined) return undefined;
  const f = decode(raw);
  // Another campaign's summary waits for its own page.
  if (f && f.campaignId !== campaignId) return undefined;
  res.clearCookie(FLASH_COOKIE, { ...cookieOptions(secure), path: FLASH_PATH });
  return f;
}

function decode(raw: string): SendFlash | undefined {
  try {
    const f = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SendFlash;
    const valid = f && typeof f.campaignId === 'string' && Number.isInteger(f.accepted) && Number.isInteger(f.rejectedCount) && Number.isInteger(f.costMillis)
      && typeof f.smartSms === 'string' && Array.isArray(f.rejected)
      && f.rejected.every((r) => r && Number.isInteger(r.line) && typeof r.to === 'string' && typeof r.code === 'string' && typeof r.message === 'string');
    return valid ? f : undefined;
  } catch {
    return undefined;
  }
}
