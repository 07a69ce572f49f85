/**
 * Short links (links.routes.ts) and the click report (click-report.routes.ts; definitions in
 * src/links/click-report.ts). The public /s/{code} path is not an API operation: it is described
 * in the Links tag and in README "Short links and click tracking".
 */
import { CLICK_DIMENSIONS } from '../../links/click-report.js';
import { CREATABLE_LINK_KINDS, LINK_KINDS } from '../../links/link.js';
import { MAX_REPORT_DAYS } from '../../verify/backfill-report-params.js';
import { bool, int, nullable, obj, operation, pathParam, ref, str, strictObj, type Schema } from './operation.js';

const ID = '^[A-Za-z0-9._:-]{1,64}$';

export const LINKS_TAG_DESCRIPTION = 'Short links and their clicks. A link answers at `GET /s/{code}` (public, no key): 302 to its target, or the H5 page of a card link; 404/410 HTML pages for unknown and expired codes. Each click is recorded (device, OS, browser, referrer, bot flag, hashed visitor) and reported by GET /v1/reports/clicks.';

const REPORT_DEFINITIONS = `PV, UV, click rate and smart-SMS parse rate of the account's short links, per campaign, link, day, hour, button, device, OS and browser.

**Definitions.** An event is a page open (\`GET /s/{code}\`) or a button tap on a card page. It belongs to the period, \`day\` and \`hour\` of its click time (in \`tz\`) and to the campaign of its link, however late it comes.
- \`pv\`: events by people. Without \`button\` in groupBy the events are page opens; with it, button taps (one row per button).
- \`uv\`: distinct people among them: the recipient for personalised links (one link per recipient of a send), otherwise a visitor hash of IP, user agent and UTC day (one browser counts once per UTC day).
- \`bots\`: events by bots (HEAD requests, link-preview fetchers such as WhatsApp or Slack, search crawlers, curl/wget…), kept but not in pv/uv.
- \`delivered\`: delivered messages carrying the row's links (a personalised link's message when grouped by link; the row's campaign when grouped by campaign; otherwise every campaign the filter selects, all of the account's without one), whenever they were sent. Counts are reused for up to a minute. null when no message is attached.
- \`clickRate\` = uv ÷ delivered; \`parseRate\` = parsed ÷ parseRequested, from the smart-SMS parse reports (aggregate counts) of the same campaigns; null without data (and parse figures are null when grouped by link).

**Rows** are the groups with at least one event (bots included), sorted by the groupBy dimensions in order (text in byte order, nulls last). A campaign × day report in UTC over whole days is read from daily rollups (\`source: rollup\`, any number of clicks in milliseconds); other questions are counted over the raw clicks (\`source: clicks\`); both give the same numbers. With \`Accept: text/csv\` the rows come as CSV (RFC 4180, CRLF, header: the dimensions, then the measures; null is an empty field).`;

/** What a page link's page is rendered from: a template and this link's variables. */
const pageRef = (templateDescription: string) => obj(
  { templateId: str({ pattern: ID, description: templateDescription }), variables: { type: 'object', description: 'This link\'s handlebars variables.', additionalProperties: true } },
  ['templateId', 'variables'],
);
const cardRef = pageRef('The card template the page is rendered from.');
const mmsRef = pageRef('The approved MMS template the page is rendered from.');

const linkProps: Record<string, Schema> = {
  code: str({ description: '8 characters; the link is `/s/{code}`.', example: 'Xk7pQm2a' }),
  url: str({ format: 'uri', description: 'The short URL to put in a message (LINKS_BASE_URL + /s/ + code).' }),
  kind: str({ enum: [...LINK_KINDS], description: '`mms` links (made by MMS sends that fall back to SMS) serve the H5 page of an MMS.' }),
  targetUrl: nullable(str({ format: 'uri', description: 'Where a redirect link goes; a card page offers it as a fallback.' })),
  campaignId: nullable(str()),
  card: nullable(cardRef),
  mms: nullable(mmsRef),
  expiresAt: nullable(str({ format: 'date-time' })),
  personalised: bool({ description: 'One recipient\'s link (made for a send): its clicks count that recipient once in UV.' }),
  messageId: nullable(str({ description: 'The message carrying the link, once the sender attached it.' })),
  createdAt: str({ format: 'date-time' }),
};
const linkExample = { code: 'Xk7pQm2a', url: 'https://acme.example/s/Xk7pQm2a', kind: 'redirect', targetUrl: 'https://acme.example/shop/spring', campaignId: 'spring-sale', card: null, mms: null, expiresAt: null, personalised: false, messageId: null, createdAt: '2030-05-01T08:00:00.000Z' };

const measureProps: Record<string, Schema> = {
  pv: int({ minimum: 0, description: 'Events by people.' }),
  uv: int({ minimum: 0, description: 'Distinct recipients (personalised links) or visitors.' }),
  bots: int({ minimum: 0, description: 'Events by bots, not in pv/uv.' }),
  delivered: nullable(int({ minimum: 0, description: 'Delivered messages carrying the row\'s links.' })),
  clickRate: nullable({ type: 'number', minimum: 0, description: 'uv ÷ delivered.' }),
  parseRequested: nullable(int({ minimum: 0, description: 'Numbers the smart-SMS platform was asked to parse.' })),
  parsed: nullable(int({ minimum: 0, description: 'Of those, rendered as a card.' })),
  parseRate: nullable({ type: 'number', minimum: 0, maximum: 1, description: 'parsed ÷ parseRequested.' }),
};
const rowExample = { campaign: 'spring-sale', day: '2030-05-01', pv: 1530, uv: 1204, bots: 212, delivered: 9650, clickRate: 0.12476683937823834, parseRequested: 10000, parsed: 5712, parseRate: 0.5712 };

export const linkSchemas: Record<string, Schema> = {
  CreateLinkRequest: strictObj({
    kind: str({ enum: [...CREATABLE_LINK_KINDS], default: 'redirect', description: '`card` links serve the H5 page of a card.' }),
    targetUrl: str({ format: 'uri', maxLength: 2048, description: 'http(s). Required for redirect links; the fallback of card links.' }),
    campaignId: str({ pattern: ID, description: 'Your campaign id; created on first use. Reports group and filter by it.' }),
    campaignName: str({ minLength: 1, maxLength: 200, description: 'Sets the campaign\'s name (creates a campaign with a generated id when campaignId is absent).' }),
    card: strictObj({
      templateId: str({ pattern: ID }),
      variables: { type: 'object', description: 'Up to 100 variables: names `[A-Za-z_][A-Za-z0-9_]*`, values string (≤ 2000), number, boolean or null.', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    }, ['templateId'], { description: 'Card links only.' }),
    expiresAt: str({ format: 'date-time', description: 'In the future; afterwards the link answers 410 Gone.' }),
  }),
  Link: obj(linkProps, Object.keys(linkProps), { example: linkExample }),
  LinkWithClicks: {
    allOf: [ref('Link')],
    type: 'object',
    properties: {
      clicks: obj({
        pv: int({ minimum: 0 }), uv: int({ minimum: 0 }), buttonClicks: int({ minimum: 0, description: 'Button taps by people.' }),
        bots: int({ minimum: 0 }), lastClickAt: nullable(str({ format: 'date-time' })),
      }, ['pv', 'uv', 'buttonClicks', 'bots', 'lastClickAt']),
    },
    required: ['clicks'],
  },
  ClickRow: {
    type: 'object',
    properties: {
      campaign: nullable(str()), link: nullable(str({ description: 'Link code.' })),
      day: str({ format: 'date', description: 'Calendar day in `tz`.' }), hour: str({ description: 'Start of the hour in `tz`: YYYY-MM-DDTHH:00.' }),
      button: nullable(str()), device: str({ enum: ['mobile', 'tablet', 'desktop', 'bot', 'unknown'] }),
      os: nullable(str({ description: 'Android, iOS, HarmonyOS, Windows, macOS, Linux, ChromeOS, Windows Phone.' })),
      browser: nullable(str({ description: 'WeChat, QQ, Alipay, UC, Huawei, MIUI, Samsung, Edge, Chrome, Safari, Firefox…' })),
      ...measureProps,
    },
    required: Object.keys(measureProps),
    description: 'One group: the dimensions grouped by (only those), then the measures.',
    example: rowExample,
  },
  ClickReport: obj({
    from: str({ format: 'date-time' }), until: str({ format: 'date-time' }), tz: str(),
    groupBy: { type: 'array', items: str({ enum: [...CLICK_DIMENSIONS] }) },
    campaign: nullable(str()), templateId: nullable(str()),
    source: str({ enum: ['rollup', 'clicks'], description: 'Where the counts were read (same numbers either way).' }),
    rows: { type: 'array', items: ref('ClickRow') },
  }, ['from', 'until', 'tz', 'groupBy', 'campaign', 'templateId', 'source', 'rows']),
};

const query = (name: string, required: boolean, description: string, schema: Schema, example: string): Schema => ({ name, in: 'query', required, description, schema, example });

export const linkPaths: Record<string, Record<string, Schema>> = {
  '/v1/links': {
    post: operation({
      id: 'createLink',
      tag: 'Links',
      auth: 'account',
      summary: 'Create a short link',
      description: 'One link for any number of people (personalised links, one per recipient, are made by the card campaign send). Put its `url` in your message; its clicks appear in GET /v1/reports/clicks.',
      body: {
        schema: ref('CreateLinkRequest'),
        examples: {
          redirect: { summary: 'A redirect in a campaign', value: { targetUrl: 'https://acme.example/shop/spring', campaignId: 'spring-sale', campaignName: 'Spring sale', expiresAt: '2031-06-30T16:00:00Z' } },
          card: { summary: 'A card page', value: { kind: 'card', card: { templateId: 'ctpl_coupon', variables: { amount: 20 } }, targetUrl: 'https://acme.example/shop/coupon' } },
        },
      },
      ok: { status: 201, description: 'The link.', schema: ref('Link'), example: linkExample },
      errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/links/{code}': {
    get: operation({
      id: 'getLink',
      tag: 'Links',
      auth: 'account',
      summary: 'A link with its click counts',
      parameters: [pathParam('code', 'The link code.', str(), 'Xk7pQm2a')],
      ok: { status: 200, description: 'The link; `clicks` counts every click so far (uv: distinct recipients or visitor-days).', schema: ref('LinkWithClicks') },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/reports/clicks': {
    get: operation({
      id: 'getClickReport',
      tag: 'Reports',
      auth: 'account',
      summary: 'Click report (PV, UV, click rate, parse rate)',
      description: REPORT_DEFINITIONS,
      parameters: [
        query('from', true, 'Start of the period, inclusive: `YYYY-MM-DD` (00:00 in `tz`) or a date-time with `Z` or an offset.', str(), '2030-05-01'),
        query('until', true, `End of the period, exclusive, same forms; at most ${MAX_REPORT_DAYS} days after \`from\`.`, str(), '2030-05-08'),
        query('groupBy', false, `Comma-separated dimensions, any subset in any order: ${CLICK_DIMENSIONS.join(', ')}. Empty: one row for the period.`, str(), 'campaign,day'),
        query('campaign', false, 'Only clicks on this campaign\'s links.', str({ pattern: ID }), 'spring-sale'),
        query('templateId', false, 'Only clicks on card links of this card template.', str({ pattern: ID }), 'ctpl_coupon'),
        query('tz', false, 'IANA time zone for `day`, `hour` and bare dates. Default UTC.', str({ default: 'UTC' }), 'Asia/Shanghai'),
      ],
      ok: {
        status: 200,
        description: 'The report (JSON, or CSV with `Accept: text/csv`).',
        schema: ref('ClickReport'),
        example: { from: '2030-05-01T00:00:00.000Z', until: '2030-05-08T00:00:00.000Z', tz: 'UTC', groupBy: ['campaign', 'day'], campaign: null, templateId: null, source: 'rollup', rows: [rowExample] },
        headers: { 'Content-Disposition': { description: 'With CSV: `attachment; filename=clicks-<from>-<until>.csv`.', schema: str() } },
      },
      errors: ['INVALID_REPORT_PERIOD', 'INVALID_GROUP_BY', 'INVALID_TIME_ZONE', 'INVALID_REPORT_FILTER'],
    }),
  },
};

// CSV is the same operation with another Accept.
const clickReportOk = (linkPaths['/v1/reports/clicks'].get as { responses: Record<string, { content: Record<string, unknown> }> }).responses['200'];
clickReportOk.content['text/csv'] = {
  schema: { type: 'string', description: 'The rows as CSV (with `Accept: text/csv`).' },
  example: 'campaign,day,pv,uv,bots,delivered,clickRate,parseRequested,parsed,parseRate\r\nspring-sale,2030-05-01,1530,1204,212,9650,0.12476683937823834,10000,5712,0.5712\r\n',
};
