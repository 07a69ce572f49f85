/**
 * One click as it travels from the redirect to the aggregator: a JSON object with short keys, many
 * to a Redis stream entry (field `c`, a JSON array). The aggregator does not parse it in Node: the
 * entry goes to PostgreSQL as text and `click.repository.ts` reads the keys with `->>`, so a key
 * renamed here must be renamed there.
 */
import type { BotReason, DeviceType } from './user-agent.js';

export interface ClickEvent {
  /** Account that owns the link. */
  a: string;
  /** Link code. */
  c: string;
  /** Campaign id, or null. */
  g: string | null;
  /** Card template id (card links), or null. */
  t: string | null;
  /** 'o' = page open (the redirect or card page), 'b' = a button on the card page. */
  k: 'o' | 'b';
  /** Button id for k = 'b'. */
  b: string | null;
  /** Click time, epoch milliseconds. */
  ts: number;
  /** Identity UV counts (hex, 16 bytes): recipient hash (p = 1) or visitor hash (p = 0). */
  i: string;
  p: 0 | 1;
  /** Device type, OS, browser. */
  d: DeviceType;
  o: string | null;
  w: string | null;
  /** Bot reason, or null for a person. */
  x: BotReason | null;
  /** HTTP method. */
  m: string;
  /** User agent and referrer, cut to MAX_HEADER_CHARS. */
  u: string | null;
  r: string | null;
}

export const MAX_HEADER_CHARS = 512;

/** A header as stored: at most MAX_HEADER_CHARS, without NUL (which jsonb and text refuse). */
export function cut(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const v = value.length > MAX_HEADER_CHARS ? value.slice(0, MAX_HEADER_CHARS) : value;
  return v.includes('\0') ? v.replaceAll('\0', '') : v;
}
