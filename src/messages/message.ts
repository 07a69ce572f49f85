import type { Category } from '../accounts/account.js';

/** Longest text one message may carry, whichever door it comes in by (HTTP API, SMPP). */
export const MAX_TEXT_LENGTH = 1000;

export type MessageStatus = 'scheduled' | 'queued' | 'submitted' | 'delivered' | 'failed' | 'unknown' | 'cancelled';
export type Encoding = 'gsm7' | 'ucs2';

/** A message as the accept pipeline writes it. */
export interface NewMessage {
  id: string;
  accountId: string;
  batchId: string | null;
  to: string;
  country: string | null;
  carrier: string | null;
  category: Category;
  sender: string | null;
  signature: string | null;
  templateId: string | null;
  text: string;
  encoding: Encoding;
  parts: number;
  status: MessageStatus;
  errorCode: string | null;
  errorMessage: string | null;
  scheduledAt: Date | null;
  callbackUrl: string | null;
  reference: string | null;
  costMillis: number;
}

/** What a send job carries: everything a worker needs without reading the database. */
export interface OutboundJobMessage {
  id: string;
  accountId: string;
  to: string;
  /** International sender ID; domestic traffic sends from the channel's access code + extension. */
  sender: string | null;
  /** The account's sub-port extension, appended to the channel's access code so MO replies route back. */
  extension: string | null;
  parts: string[];
  encoding: Encoding;
  attempt: number;
  /** Channels still to try after this one, in order. */
  fallbacks: string[];
  category: Category;
  callbackUrl: string | null;
}
