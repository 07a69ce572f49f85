/** Component schemas of the operator's routing and list routes (admin.routes.ts). */
import { arr, bool, int, nullable, obj, ref, str, strictObj, type Schema } from './operation.js';

const channelFields: Record<string, Schema> = {
  name: str({ minLength: 1, maxLength: 100, example: 'China Mobile direct' }),
  host: str({ minLength: 1, example: 'smpp-simulator' }),
  port: int({ minimum: 1, maximum: 65535, example: 2775 }),
  systemId: str({ minLength: 1, maxLength: 16, example: 'platform' }),
  password: str({ maxLength: 9, description: 'SMPP limits it to 9 characters. Never echoed back.', example: 'secret' }),
  systemType: str({ maxLength: 13 }),
  sourceAddress: str({ maxLength: 20, description: 'Access code (码号); the account extension is appended.', example: '106900' }),
  windowSize: int({ minimum: 1, maximum: 1000, description: 'Unacknowledged submit_sm in flight. Default 100.' }),
  submitsPerSecond: int({ minimum: 1, maximum: 100000, description: 'Rate limit of this connection. Default 1000.' }),
  carriers: arr(ref('Carrier'), { description: 'Carriers this channel serves; empty: all.' }),
  countries: arr(str({ minLength: 2, maxLength: 2 }), { description: 'ISO 3166 alpha-2 codes served; empty: all.' }),
  enabled: bool({ description: 'Default true.' }),
};

export const adminSchemas: Record<string, Schema> = {
  ChannelRequest: strictObj(channelFields, ['name', 'host', 'port', 'systemId', 'password'], {
    description: 'A full replacement of the channel (PUT). The id comes from the path; an `id` in the body is overwritten.',
  }),
  Channel: obj(
    {
      id: str({ pattern: '^[a-z0-9-]{1,40}$', example: 'cmcc-direct' }),
      kind: { const: 'smpp' },
      ...channelFields,
      password: { const: '***' },
      systemType: nullable(str()),
      sourceAddress: nullable(str()),
    },
    ['id', 'kind', 'name', 'host', 'port', 'systemId', 'password', 'systemType', 'sourceAddress', 'windowSize', 'submitsPerSecond', 'carriers', 'countries', 'enabled'],
  ),
  ChannelList: obj({ data: arr(ref('Channel')) }, ['data']),
  PoolEntry: strictObj(
    {
      channelId: str({ example: 'simulator' }),
      weight: int({ minimum: 0, maximum: 10000, description: 'Share among the primaries.', example: 100 }),
      role: str({ enum: ['primary', 'backup'], default: 'primary', description: 'Backups are tried only when every primary fails.' }),
    },
    ['channelId', 'weight'],
  ),
  PoolRequest: strictObj({ channels: arr(ref('PoolEntry'), { minItems: 1 }) }, ['channels']),
  Pool: obj({ accountId: str(), category: ref('Category'), channels: arr(ref('PoolEntry')) }, ['accountId', 'category', 'channels']),
  GlobalBlacklistRequest: strictObj(
    {
      group: str({ pattern: '^[a-z_]{1,40}$', example: 'complainers_high' }),
      numbers: arr(str(), { minItems: 1, maxItems: 10000 }),
      level: str({ enum: ['high', 'low'], default: 'low', description: 'Shown in the failure code: BLACKLIST_HIGH / BLACKLIST_LOW.' }),
      source: str({ enum: ['channel_complaint', 'customer', 'operator'], default: 'operator' }),
    },
    ['group', 'numbers'],
  ),
  GlobalBlacklistResponse: obj({ group: str(), added: int() }, ['group', 'added']),
  WhitelistRequest: strictObj(
    {
      accountId: str({ description: 'Omit for a platform-wide entry.' }),
      numbers: arr(str(), { minItems: 1, maxItems: 10000, description: 'Test and alarm numbers: they bypass blacklists and frequency caps.' }),
    },
    ['numbers'],
  ),
  SimulatorMoRequest: strictObj(
    { from: str({ minLength: 3, maxLength: 32, description: 'The subscriber.' }), to: str({ pattern: '^\\d{1,21}$', description: 'Access code + the account extension.' }), text: str({ minLength: 1, maxLength: 1000 }) },
    ['from', 'to', 'text'],
  ),
  SimulatorMoResponse: obj({ injected: { type: 'boolean' } }, ['injected']),
  PortabilityRequest: strictObj(
    { number: str({ example: '13800138000' }), currentCarrier: ref('Carrier') },
    ['number', 'currentCarrier'],
  ),
  PortabilityOverride: obj(
    {
      number: str({ description: 'E.164.' }),
      originalCarrier: nullable(str({ description: 'By number segment (号段).' })),
      currentCarrier: ref('Carrier'),
    },
    ['number', 'originalCarrier', 'currentCarrier'],
  ),
};
