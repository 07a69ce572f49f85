import { describe, expect, it } from 'vitest';
import { classifyCached, classifyClient } from '../../../src/links/user-agent.js';

// Real user agents, as their apps and browsers send them.
const PEOPLE: [string, string, { device: string; os: string | null; browser: string | null }][] = [
  ['iPhone Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', { device: 'mobile', os: 'iOS', browser: 'Safari' }],
  ['iPhone WeChat', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN', { device: 'mobile', os: 'iOS', browser: 'WeChat' }],
  ['Android WeChat', 'Mozilla/5.0 (Linux; Android 13; V2241A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110005 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64', { device: 'mobile', os: 'Android', browser: 'WeChat' }],
  ['Android Chrome', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36', { device: 'mobile', os: 'Android', browser: 'Chrome' }],
  ['Huawei browser on HarmonyOS 4', 'Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36', { device: 'mobile', os: 'HarmonyOS', browser: 'Huawei' }],
  ['HarmonyOS NEXT phone', 'Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300', { device: 'mobile', os: 'HarmonyOS', browser: 'Huawei' }],
  ['Xiaomi browser', 'Mozilla/5.0 (Linux; U; Android 13; zh-cn; 2211133C Build/TKQ1.220905.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.118 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.7.140514', { device: 'mobile', os: 'Android', browser: 'MIUI' }],
  ['QQ browser', 'Mozilla/5.0 (Linux; U; Android 11; zh-cn; PCAM00 Build/RKQ1.201217.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.8 Mobile Safari/537.36', { device: 'mobile', os: 'Android', browser: 'QQ' }],
  ['UC browser', 'Mozilla/5.0 (Linux; U; Android 10; zh-CN; V1986A Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36', { device: 'mobile', os: 'Android', browser: 'UC' }],
  ['Alipay', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.1.0 AliApp(AP/10.5.36.6000) Nebula WK RVKType(0) AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.5.36.6000 Language/zh-Hans Region/CN', { device: 'mobile', os: 'iOS', browser: 'Alipay' }],
  ['Samsung browser', 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36', { device: 'mobile', os: 'Android', browser: 'Samsung' }],
  ['Cubot phone (no bot despite the name)', 'Mozilla/5.0 (Linux; Android 9; CUBOT_X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.99 Mobile Safari/537.36', { device: 'mobile', os: 'Android', browser: 'Chrome' }],
  ['Android tablet', 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', { device: 'tablet', os: 'Android', browser: 'Chrome' }],
  ['iPad', 'Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1', { device: 'tablet', os: 'iOS', browser: 'Safari' }],
  ['Windows Edge', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80', { device: 'desktop', os: 'Windows', browser: 'Edge' }],
  ['macOS Firefox', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0', { device: 'desktop', os: 'macOS', browser: 'Firefox' }],
  ['macOS Safari', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', { device: 'desktop', os: 'macOS', browser: 'Safari' }],
  ['Linux Chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', { device: 'desktop', os: 'Linux', browser: 'Chrome' }],
  ['ChromeOS', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', { device: 'desktop', os: 'ChromeOS', browser: 'Chrome' }],
  ['Opera on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 OPR/108.0.0.0', { device: 'desktop', os: 'Windows', browser: 'Opera' }],
];

const BOTS: [string, string, string][] = [
  ['Facebook', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'preview'],
  ['iMessage preview', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0', 'preview'],
  ['WhatsApp', 'WhatsApp/2.23.20.0 A', 'preview'],
  ['Slack', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'preview'],
  ['Telegram', 'TelegramBot (like TwitterBot)', 'preview'],
  ['Twitter', 'Twitterbot/1.0', 'preview'],
  ['Discord', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'preview'],
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'crawler'],
  ['Googlebot smartphone', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.60 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'crawler'],
  ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'crawler'],
  ['Baiduspider', 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', 'crawler'],
  ['an unknown robot that names itself', 'Mozilla/5.0 (compatible; AcmeLinkChecker-bot/3.1)', 'crawler'],
  ['curl', 'curl/8.5.0', 'tool'],
  ['wget', 'Wget/1.21.4', 'tool'],
  ['python-requests', 'python-requests/2.31.0', 'tool'],
  ['Go', 'Go-http-client/1.1', 'tool'],
];

describe('classifyClient', () => {
  it.each(PEOPLE)('when a person opens the link with %s, then device, OS and browser are read and it is no bot', (_name, ua, expected) => {
    expect(classifyClient('GET', ua)).toEqual({ ...expected, bot: false, botReason: null });
  });

  it.each(BOTS)('when %s fetches the link, then it is a bot (%#)', (_name, ua, reason) => {
    const info = classifyClient('GET', ua);
    expect(info).toMatchObject({ bot: true, botReason: reason, device: 'bot', browser: null });
  });

  it('when a browser sends HEAD, then the request is a bot (nobody saw a page)', () => {
    expect(classifyClient('HEAD', PEOPLE[0][1])).toMatchObject({ bot: true, botReason: 'head', device: 'bot', os: 'iOS' });
  });

  it('when there is no user agent or an empty one, then it is a bot', () => {
    expect(classifyClient('GET', undefined)).toMatchObject({ bot: true, botReason: 'no-user-agent' });
    expect(classifyClient('GET', '  ')).toMatchObject({ bot: true, botReason: 'no-user-agent' });
  });

  it('when an unknown client sends a user agent without platform hints, then it is a person on an unknown device', () => {
    expect(classifyClient('GET', 'SomeApp/1.0')).toEqual({ device: 'unknown', os: null, browser: null, bot: false, botReason: null });
  });

  it('when the memoised classifier is asked twice, then it answers like the plain one and tells GET from HEAD', () => {
    const ua = PEOPLE[3][1];
    expect(classifyCached('GET', ua)).toEqual(classifyClient('GET', ua));
    expect(classifyCached('GET', ua)).toBe(classifyCached('GET', ua));
    expect(classifyCached('HEAD', ua).botReason).toBe('head');
  });
});
