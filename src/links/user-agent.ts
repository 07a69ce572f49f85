/**
 * User agent → device type, OS and browser, and the bot flag of a click. Pure and dependency-free:
 * a click report needs a handful of categories, not a full UA database, and the checks run on the
 * redirect path (results are memoised per user-agent string by {@link classifyCached}).
 *
 * Bots are kept but excluded from PV/UV. Reasons, in the order they are checked:
 * - `head`: a HEAD request (link checkers, some previewers) never shows the page to anyone.
 * - `no-user-agent`: browsers always send one.
 * - `preview`: messenger and social link-preview fetchers (WhatsApp, Telegram, Slack, Facebook…).
 * - `crawler`: search engines and other declared robots (`…bot/1.0`, `+http://…` contact URLs).
 * - `tool`: HTTP libraries and command-line clients (curl, wget, python-requests…).
 */

export type DeviceType = 'mobile' | 'tablet' | 'desktop' | 'bot' | 'unknown';
export type BotReason = 'head' | 'no-user-agent' | 'preview' | 'crawler' | 'tool';

export interface ClientInfo {
  device: DeviceType;
  /** Android, iOS, HarmonyOS, Windows, macOS, Linux, ChromeOS, Windows Phone; null when unknown. */
  os: string | null;
  /** WeChat, QQ, Alipay, UC, Huawei, MIUI, Samsung, Edge, Opera, Firefox, Chrome, Safari…; null when unknown. */
  browser: string | null;
  bot: boolean;
  botReason: BotReason | null;
}

const PREVIEW = /facebookexternalhit|facebot|whatsapp|slackbot|slack-imgproxy|telegrambot|twitterbot|linkedinbot|discordbot|skypeuripreview|redditbot|embedly|pinterest(?:bot)?\/|vkshare|iframely|snapchat|viber\/|mastodon\/|bitlybot|tumblr\//i;
const CRAWLER = /googlebot|google-inspectiontool|adsbot-google|mediapartners-google|bingbot|bingpreview|baiduspider|yandex(?:bot|images)|duckduckbot|sogou|360spider|haosouspider|bytespider|petalbot|applebot|ahrefsbot|semrushbot|mj12bot|yisouspider|slurp|dotbot|headlesschrome|phantomjs|lighthouse/i;
// A robot's own product token ("Foobot/2.1", "somecrawler/1.0") or a contact URL ("+http://…").
const DECLARED_ROBOT = /(?:^|[\s;(])[\w.-]*(?:bot|spider|crawler)[\w.-]*\/\d|\+https?:\/\//i;
const TOOL = /^(?:curl|wget|httpie|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|java\/|okhttp|libwww-perl|axios|node-fetch|undici|got |postmanruntime|apache-httpclient|insomnia|powershell|ruby|php)/i;

function botReason(method: string, ua: string): BotReason | null {
  if (method === 'HEAD') return 'head';
  if (ua.trim() === '') return 'no-user-agent';
  if (PREVIEW.test(ua)) return 'preview';
  if (CRAWLER.test(ua) || DECLARED_ROBOT.test(ua)) return 'crawler';
  if (TOOL.test(ua)) return 'tool';
  return null;
}

function osOf(ua: string): string | null {
  if (/harmonyos|openharmony/i.test(ua)) return 'HarmonyOS';
  if (/iphone|ipad|ipod/i.test(ua)) return 'iOS';
  if (/windows phone/i.test(ua)) return 'Windows Phone';
  if (/android/i.test(ua)) return 'Android';
  if (/windows nt|windows 10|win64|win32/i.test(ua)) return 'Windows';
  if (/cros/i.test(ua)) return 'ChromeOS';
  if (/mac os x|macintosh/i.test(ua)) return 'macOS';
  if (/linux|x11/i.test(ua)) return 'Linux';
  return null;
}

function deviceOf(ua: string, os: string | null): DeviceType {
  if (/ipad|tablet|kindle|silk\/|playbook/i.test(ua)) return 'tablet';
  if (/iphone|ipod|windows phone|mobile|phone/i.test(ua)) return 'mobile';
  // Android tablets leave "Mobile" out of their user agent (Google's guidance for tablet browsers).
  if (os === 'Android' || os === 'HarmonyOS') return 'tablet';
  if (os === 'Windows' || os === 'macOS' || os === 'Linux' || os === 'ChromeOS') return 'desktop';
  return 'unknown';
}

// Order matters: in-app browsers and vendors put "Chrome" and "Safari" in their strings too.
const BROWSERS: [RegExp, string][] = [
  [/micromessenger/i, 'WeChat'],
  [/alipayclient/i, 'Alipay'],
  [/dingtalk/i, 'DingTalk'],
  [/weibo/i, 'Weibo'],
  [/mqqbrowser|\sqq\//i, 'QQ'],
  [/ucbrowser|ucweb/i, 'UC'],
  [/huaweibrowser/i, 'Huawei'],
  [/miuibrowser|xiaomi\/miuibrowser/i, 'MIUI'],
  [/heytapbrowser|oppobrowser/i, 'OPPO'],
  [/vivobrowser/i, 'vivo'],
  [/samsungbrowser/i, 'Samsung'],
  [/edg(?:e|a|ios)?\//i, 'Edge'],
  [/opr\/|opera/i, 'Opera'],
  [/firefox|fxios/i, 'Firefox'],
  [/chrome\/|crios/i, 'Chrome'],
  [/safari/i, 'Safari'],
];

function browserOf(ua: string): string | null {
  for (const [re, name] of BROWSERS) if (re.test(ua)) return name;
  return null;
}

/** Classifies one request. `method` is the HTTP method as received (HEAD is a bot by definition). */
export function classifyClient(method: string, userAgent: string | undefined): ClientInfo {
  const ua = userAgent ?? '';
  const reason = botReason(method, ua);
  const os = osOf(ua);
  return {
    device: reason ? 'bot' : deviceOf(ua, os),
    os,
    browser: reason ? null : browserOf(ua),
    bot: reason !== null,
    botReason: reason,
  };
}

// Most clicks come from a few hundred distinct user agents: the regexes run once per string.
const memo = new Map<string, ClientInfo>();
const MEMO_LIMIT = 5_000;

/** {@link classifyClient}, memoised per (method, user agent). */
export function classifyCached(method: string, userAgent: string | undefined): ClientInfo {
  const key = `${method === 'HEAD' ? 'H' : 'G'}${userAgent ?? ''}`;
  let info = memo.get(key);
  if (!info) {
    info = classifyClient(method, userAgent);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, info);
  }
  return info;
}
