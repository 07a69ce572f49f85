/**
 * Seeded clicks (as the redirect writes them to the stream) for click-report tests, and the report
 * counted by hand from them: plain loops over the events, independent of the SQL and the rollups.
 */
import type { ClickEvent } from '../../src/links/click-event.js';
import type { ClickDimension } from '../../src/links/click-report.js';
import type { BotReason, DeviceType } from '../../src/links/user-agent.js';
import { seededRandom } from './backfill-seed.js';

export interface SeedLink {
  code: string;
  accountId: string;
  campaignId: string | null;
  templateId: string | null;
  /** Hex recipient identity of a personalised link. */
  recipient: string | null;
}

export interface ClickSeedOptions {
  seed: number;
  links: SeedLink[];
  events: number;
  start: Date;
  days: number;
}

const DEVICES: [DeviceType, string | null, string | null][] = [
  ['mobile', 'Android', 'WeChat'], ['mobile', 'iOS', 'Safari'], ['mobile', 'HarmonyOS', 'Huawei'], ['tablet', 'iOS', 'Safari'], ['desktop', 'Windows', 'Chrome'], ['unknown', null, null],
];
const BOT_REASONS: BotReason[] = ['head', 'preview', 'crawler', 'tool'];
const BUTTONS = ['buy', 'more', 'copy'];
const hex = (rnd: () => number) => Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join('');

/** Links of an account: personalised ones in campaigns, shared ones with and without a campaign. */
export function seedLinks(seed: number, accountId: string, n: number): SeedLink[] {
  const rnd = seededRandom(seed);
  const campaigns = ['spring', 'autumn', 'Winter.2030', null];
  const templates = ['ctpl_coupon', 'ctpl_flight', null];
  return Array.from({ length: n }, (_, i) => ({
    code: `s${seed}x${i}`,
    accountId,
    campaignId: campaigns[i % campaigns.length],
    templateId: templates[Math.floor(rnd() * templates.length)],
    recipient: i % 3 === 0 ? null : hex(rnd),
  }));
}

/** Clicks on the links: opens and button taps, people (a pool of visitors) and bots, over `days` days. */
export function generateClicks(o: ClickSeedOptions): ClickEvent[] {
  const rnd = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const visitors = Array.from({ length: 40 }, () => hex(rnd));
  const out: ClickEvent[] = [];
  for (let n = 0; n < o.events; n++) {
    const link = pick(o.links);
    const bot = rnd() < 0.1 ? pick(BOT_REASONS) : null;
    const [d, os, w] = bot ? ['bot' as DeviceType, null, null] : pick(DEVICES);
    const button = rnd() < 0.2 ? pick(BUTTONS) : null;
    out.push({
      a: link.accountId, c: link.code, g: link.campaignId, t: link.templateId, k: button ? 'b' : 'o', b: button,
      ts: o.start.getTime() + Math.floor(rnd() * o.days * 86_400_000),
      i: link.recipient ?? pick(visitors), p: link.recipient ? 1 : 0,
      d, o: os, w, x: bot, m: bot === 'head' ? 'HEAD' : 'GET', u: bot ? 'curl/8.5.0' : 'Mozilla/5.0 (seed)', r: n % 7 === 0 ? 'https://example.com/' : null,
    });
  }
  return out;
}

export interface HandQuery {
  accountId: string;
  from: Date;
  until: Date;
  groupBy: ClickDimension[];
  timeZone: string;
  campaignId?: string;
  templateId?: string;
}

function localParts(ts: number, timeZone: string): { day: string; hour: string } {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(new Date(ts)).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, hour: `${p.year}-${p.month}-${p.day}T${p.hour}:00` };
}

function dimension(e: ClickEvent, d: ClickDimension, timeZone: string): string | null {
  switch (d) {
    case 'campaign': return e.g;
    case 'link': return e.c;
    case 'day': return localParts(e.ts, timeZone).day;
    case 'hour': return localParts(e.ts, timeZone).hour;
    case 'button': return e.b;
    case 'device': return e.d;
    case 'os': return e.o;
    case 'browser': return e.w;
  }
}

const byteOrder = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** pv, uv and bots per group, sorted like the report (text in byte order, nulls last). */
export type HandRow = { [dimension: string]: string | number | null; pv: number; uv: number; bots: number };

export function handCount(events: readonly ClickEvent[], q: HandQuery): HandRow[] {
  const kind = q.groupBy.includes('button') ? 'b' : 'o';
  const groups = new Map<string, { keys: (string | null)[]; pv: number; ids: Set<string>; bots: number }>();
  for (const e of events) {
    if (e.a !== q.accountId || e.k !== kind || e.ts < q.from.getTime() || e.ts >= q.until.getTime()) continue;
    if (q.campaignId !== undefined && e.g !== q.campaignId) continue;
    if (q.templateId !== undefined && e.t !== q.templateId) continue;
    const keys = q.groupBy.map((d) => dimension(e, d, q.timeZone));
    const k = JSON.stringify(keys);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { keys, pv: 0, ids: new Set(), bots: 0 }));
    if (e.x) g.bots++;
    else g.pv++, g.ids.add(e.i);
  }
  return [...groups.values()]
    .sort((a, b) => { for (let i = 0; i < a.keys.length; i++) { const c = byteOrder(a.keys[i], b.keys[i]); if (c) return c; } return 0; })
    .map((g) => ({ ...Object.fromEntries(q.groupBy.map((d, i) => [d, g.keys[i]])), pv: g.pv, uv: g.ids.size, bots: g.bots }));
}
