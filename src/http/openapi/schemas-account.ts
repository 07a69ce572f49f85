/** Component schemas of accounts, signatures and templates (account.routes.ts, admin.routes.ts). */
import { DEFAULT_SETTINGS } from '../../accounts/account.js';
import { arr, bool, int, nullable, obj, ref, str, strictObj, type Schema } from './operation.js';

const extension = str({ pattern: '^\\d{1,12}$', description: 'Sub-port extension (子端口), 1–12 digits; MO replies route back by it.', example: '01' });
const cidr = str({ pattern: '^[0-9a-fA-F:.]+(\\/\\d{1,3})?$', description: 'An IP address or CIDR such as 10.0.0.0/8.', example: '203.0.113.0/24' });

/** Fields an admin sets on an account (create and update share them). */
const accountFields: Record<string, Schema> = {
  name: str({ minLength: 1, maxLength: 100, example: 'Acme Retail' }),
  ipAllowlist: arr(cidr, { maxItems: 100, description: 'Empty: any address.' }),
  categories: arr(ref('Category'), { minItems: 1, description: 'Default: all three.' }),
  billingType: str({ enum: ['prepaid', 'postpaid'], description: 'Default prepaid: debited on submit, refunded on failure after 72 h.' }),
  chargingMode: ref('ChargingMode'),
  pricePerPartMillis: int({ minimum: 0, maximum: 100000, description: 'Price per part in milli-yuan. Default 35 (3.5 fen).' }),
  callbackUrl: nullable(str({ format: 'uri', pattern: '^https?://', description: 'Where status and MO reports are pushed.' })),
  callbackRatePerS: int({ minimum: 1, maximum: 100000, description: 'Reports pushed per second at most. Default 200.' }),
  reportMode: str({ enum: ['push', 'pull'], description: 'push (default): POSTed to callbackUrl; pull: read with GET /v1/reports.' }),
  extension: nullable(extension),
  settings: ref('AccountSettingsPatch'),
};

const settingsProps: Record<string, Schema> = {
  strayBrackets: str({ enum: ['reject', 'rewrite'] }),
  marketingSuffix: str({ enum: ['reject', 'append'] }),
  outsideWindow: str({ enum: ['reject', 'hold'] }),
  marketingWindow: obj({ start: str({ pattern: '^\\d\\d:\\d\\d$' }), end: str({ pattern: '^\\d\\d:\\d\\d$' }) }, ['start', 'end']),
  timeZone: str({ description: 'IANA time zone of the sending window and daily caps.' }),
  highRisk: bool({ description: 'Narrower marketing window (08:00–18:00) and 1/day marketing cap.' }),
  keywordGroups: arr(str()),
  blacklistGroups: arr(str(), { description: 'Global blacklist groups honoured besides the account\'s unsubscribe group.' }),
  blockedProvinces: arr(str()),
  reportPerMessage: bool({ description: 'One status report per long message instead of one per part.' }),
  adaptiveRouting: bool({ description: 'Pool weights follow each channel\'s success rate and latency over the last hour.' }),
  backfillRouting: arr(ref('Category'), { description: 'Categories (normally otp) whose pool weights also follow each route\'s backfill rate (codes entered back ÷ sent) over the last 6 hours. Empty: off.' }),
  dailyResendCap: int({ minimum: 0, description: 'Failed-within-30-s resends per day on another channel; 0 disables.' }),
  parseFeeMillis: int({ minimum: 0, maximum: 100000, description: 'Smart SMS: milli-yuan per handset that rendered the card (charged from the parse platform\'s aggregate report). Default 30.' }),
  caps: { type: 'object', description: 'Frequency-cap overrides; null switches one off.', additionalProperties: { type: ['integer', 'null'] } },
  enforceRegisteredContent: bool({ description: 'Links and phone numbers in the text must be registered.' }),
  registeredLinks: arr(str()),
  registeredPhones: arr(str()),
};

const accountView: Record<string, Schema> = {
  id: str({ example: 'acc_V1StGXR8_Z5j' }),
  name: str(),
  categories: arr(ref('Category')),
  billingType: str({ enum: ['prepaid', 'postpaid'] }),
  chargingMode: ref('ChargingMode'),
  balanceMillis: int({ description: 'Prepaid balance in milli-yuan.' }),
  pricePerPartMillis: int(),
  callbackUrl: nullable(str({ format: 'uri' })),
  callbackRatePerS: int(),
  reportMode: str({ enum: ['push', 'pull'] }),
  extension: nullable(str()),
  ipAllowlist: arr(str()),
  settings: ref('AccountSettings'),
  callbackSecret: str({ description: 'HMAC-SHA256 key of the X-Signature header on callbacks.' }),
};

export const accountSchemas: Record<string, Schema> = {
  AccountSettings: obj(settingsProps, Object.keys(settingsProps), { description: 'Per-account rules; defaults from DOMAIN.md.', example: DEFAULT_SETTINGS }),
  AccountSettingsPatch: {
    type: 'object',
    description: 'Any subset of AccountSettings; merged (shallowly) into the current settings. Unknown keys and bad values are refused with VALIDATION_FAILED naming the field.',
    properties: settingsProps,
    additionalProperties: false,
  },
  AccountSelf: obj(accountView, Object.keys(accountView), { description: 'The calling account, including the secret its callbacks are signed with.' }),
  Account: {
    allOf: [ref('AccountSelf')],
    type: 'object',
    required: ['status', 'callbackSecret'],
    properties: {
      status: str({ enum: ['active', 'suspended'] }),
      callbackSecret: str({ description: 'HMAC key of the X-Signature header on callbacks.' }),
    },
  },
  CreateAccountRequest: strictObj(accountFields, ['name']),
  UpdateAccountRequest: strictObj(accountFields, [], { description: 'Only the given fields change; `null` clears callbackUrl or extension.' }),
  CreateAccountResponse: obj(
    { account: ref('Account'), apiKey: str({ description: 'Shown once; only its hash is stored.', example: 'sk_3q2-7wEXAMPLEkeyEXAMPLEkeyEXAMPLEkeyEXAMPLE' }), note: str() },
    ['account', 'apiKey', 'note'],
  ),
  ApiKeyResponse: obj({ apiKey: str(), note: str() }, ['apiKey', 'note']),
  TopUpRequest: strictObj(
    { amountMillis: int({ minimum: 1, description: 'Milli-yuan to add (1,000,000 = ¥1,000).', example: 1000000 }), reason: str({ maxLength: 200, default: 'top-up' }) },
    ['amountMillis'],
  ),
  TopUpResponse: obj({ balanceMillis: int() }, ['balanceMillis']),
  RegisterSignatureRequest: strictObj(
    {
      name: str({ minLength: 2, maxLength: 8, pattern: '^[^【】\\s]+$', description: 'Without brackets or spaces.', example: '示例科技' }),
      extension,
    },
    ['name'],
  ),
  Signature: obj(
    { name: str(), extension: nullable(str()), status: str({ enum: ['pending', 'approved', 'rejected'] }), createdAt: str({ format: 'date-time' }) },
    ['name', 'extension', 'status', 'createdAt'],
  ),
  ReviewRequest: strictObj(
    {
      status: str({ enum: ['approved', 'rejected'] }),
      reason: str({ maxLength: 500, description: 'Required when rejecting a template; ignored for signatures.' }),
    },
    ['status'],
  ),
  CreateTemplateRequest: strictObj(
    {
      name: str({ minLength: 1, maxLength: 100, example: 'login code' }),
      body: str({ minLength: 1, maxLength: 1000, description: 'Fixed text with plain {{variable}} placeholders.', example: '【示例科技】您的验证码是{{code}}，{{minutes}}分钟内有效。' }),
      category: ref('Category'),
    },
    ['name', 'body', 'category'],
  ),
  Template: obj(
    {
      id: str({ example: 'tpl_0lx2k3m4nabcdefghij' }),
      name: str(),
      body: str(),
      category: ref('Category'),
      status: str({ enum: ['pending', 'approved', 'rejected'] }),
      rejectReason: nullable(str()),
      variables: arr(str(), { description: 'Variable names found in the body.' }),
      createdAt: str({ format: 'date-time' }),
    },
    ['id', 'name', 'body', 'category', 'status', 'rejectReason', 'variables', 'createdAt'],
  ),
  AccountBlacklistRequest: strictObj({ numbers: ref('E164List') }, ['numbers']),
};
