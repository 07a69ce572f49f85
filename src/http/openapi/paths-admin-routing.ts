/** Operator routes for channels, pools, lists and portability (admin.routes.ts). */
import { operation, pathParam, ref, str, type Schema } from './operation.js';

export const adminRoutingPaths: Record<string, Record<string, Schema>> = {
  '/v1/admin/channels': {
    get: operation({
      id: 'listChannels',
      tag: 'Admin: routing',
      auth: 'admin',
      summary: 'List upstream channels (passwords masked)',
      ok: { status: 200, description: 'Channels, by id.', schema: ref('ChannelList') },
    }),
  },
  '/v1/admin/channels/{id}': {
    put: operation({
      id: 'putChannel',
      tag: 'Admin: routing',
      auth: 'admin',
      summary: 'Create or replace an SMPP channel',
      description: 'Routing in this process sees the change at once. With the bundled simulator in its own container (docker-compose), register it as `simulator` with host `smpp-simulator`.',
      parameters: [pathParam('id', 'Channel id: lower-case letters, digits and dashes, 1–40.', str({ pattern: '^[a-z0-9-]{1,40}$' }), 'simulator')],
      body: {
        schema: ref('ChannelRequest'),
        examples: {
          simulator: { summary: 'The compose simulator', value: { name: 'Bundled SMSC simulator (not a carrier)', host: 'smpp-simulator', port: 2775, systemId: 'platform', password: 'secret', sourceAddress: '106900', windowSize: 100, submitsPerSecond: 20000 } },
          carrier: { summary: 'A China Mobile direct bind', value: { name: 'CMCC direct', host: 'smsc.example.net', port: 2775, systemId: 'acme01', password: 's3cret', sourceAddress: '10690001', submitsPerSecond: 1000, carriers: ['cmcc'], countries: ['CN'] } },
        },
      },
      ok: { status: 200, description: 'The channel (created or replaced).', schema: ref('Channel') },
      errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/admin/accounts/{id}/pools/{category}': {
    put: operation({
      id: 'putPool',
      tag: 'Admin: routing',
      auth: 'admin',
      summary: 'Set an account\'s channel pool for one category',
      description: 'Replaces the pool. Without a pool an account is routed over every enabled channel with equal weight.',
      parameters: [
        pathParam('id', 'Account id (acc_…).', str(), 'acc_V1StGXR8_Z5j'),
        pathParam('category', 'The category.', ref('Category'), 'otp'),
      ],
      body: {
        schema: ref('PoolRequest'),
        examples: { twoChannels: { summary: 'A primary and a backup', value: { channels: [{ channelId: 'cmcc-direct', weight: 100 }, { channelId: 'simulator', weight: 0, role: 'backup' }] } } },
      },
      ok: { status: 200, description: 'The pool as stored.', schema: ref('Pool') },
      errors: ['VALIDATION_FAILED', 'UNKNOWN_CHANNEL'],
    }),
  },
  '/v1/admin/blacklist': {
    post: operation({
      id: 'addToGlobalBlacklist',
      tag: 'Admin: lists',
      auth: 'admin',
      summary: 'Add numbers to a global blacklist group',
      description: 'Accounts honour the groups named in their `settings.blacklistGroups` (default complainers_high, complainers_low).',
      body: { schema: ref('GlobalBlacklistRequest'), examples: { complainers: { summary: 'Professional complainers', value: { group: 'complainers_high', level: 'high', source: 'channel_complaint', numbers: ['13800138099'] } } } },
      ok: { status: 201, description: 'Added.', schema: ref('GlobalBlacklistResponse') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER'],
    }),
  },
  '/v1/admin/blacklist/{group}/{number}': {
    delete: operation({
      id: 'removeFromGlobalBlacklist',
      tag: 'Admin: lists',
      auth: 'admin',
      summary: 'Remove a number from a global blacklist group',
      parameters: [pathParam('group', 'The group.', str(), 'complainers_high'), pathParam('number', 'The number; URL-encode a leading + as %2B.', str(), '13800138099')],
      ok: { status: 204, description: 'Removed (also when it was not listed).' },
      errors: ['INVALID_NUMBER'],
    }),
  },
  '/v1/admin/whitelist': {
    post: operation({
      id: 'addToWhitelist',
      tag: 'Admin: lists',
      auth: 'admin',
      summary: 'Whitelist test and alarm numbers',
      description: 'Whitelisted numbers bypass blacklists and frequency caps, for one account or (without accountId) for all.',
      body: { schema: ref('WhitelistRequest'), examples: { alarm: { summary: 'An alarm number of one account', value: { accountId: 'acc_V1StGXR8_Z5j', numbers: ['13800138000'] } } } },
      ok: { status: 201, description: 'Added.', schema: ref('Added') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER'],
    }),
  },
  '/v1/admin/portability': {
    put: operation({
      id: 'putPortabilityOverride',
      tag: 'Admin: lists',
      auth: 'admin',
      summary: 'Record a ported number (携号转网)',
      description: 'Routes this number by its current carrier instead of its number segment.',
      body: { schema: ref('PortabilityRequest'), examples: { ported: { summary: 'A China Mobile number now on Telecom', value: { number: '13800138000', currentCarrier: 'ctcc' } } } },
      ok: { status: 200, description: 'The override.', schema: ref('PortabilityOverride'), example: { number: '+8613800138000', originalCarrier: 'cmcc', currentCarrier: 'ctcc' } },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER'],
    }),
  },
  '/v1/admin/simulator/mo': {
    post: operation({
      id: 'injectSimulatorMo',
      tag: 'Admin: routing',
      auth: 'admin',
      summary: 'Make the bundled SMSC simulator deliver an MO (uplink) reply',
      description: 'Only where this process runs the simulator (ROLES includes simulator). The simulator sends it as deliver_sm to the platform, which routes it to the account whose extension ends the destination address (access code + extension, e.g. 10690001).',
      body: { schema: ref('SimulatorMoRequest'), examples: { unsubscribe: { summary: 'A subscriber replies R', value: { from: '13800138000', to: '10690001', text: 'R' } } } },
      ok: { status: 202, description: 'Handed to the simulator.', schema: ref('SimulatorMoResponse') },
      errors: ['VALIDATION_FAILED', 'SIMULATOR_NOT_RUNNING'],
    }),
  },
};
