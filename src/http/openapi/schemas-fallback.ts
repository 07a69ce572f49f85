/** Component schemas of sends with a channel chain (src/fallback; mirrors src/http/routes/message-schemas.ts chainSendSchema). */
import { chainSendSchema } from '../routes/message-schemas.js';
import { jsonSchema } from './schemas-whatsapp.js';
import { arr, int, nullable, obj, operation, ref, str, type Schema } from './operation.js';

const time = (description?: string) => nullable(str({ format: 'date-time', ...(description ? { description } : {}) }));

export const fallbackSchemas: Record<string, Schema> = {
  ChainSendRequest: {
    ...jsonSchema(chainSendSchema),
    description: 'A send down a channel chain: the content once (text or an SMS template, a card template, an MMS template, WhatsApp content) and `channels`, names or {channel, condition, timeoutSeconds}. Without `channels` the account\'s default chain for the category applies (settings.fallbackChains).',
  },
  FallbackSend: obj({
    id: str({ example: 'msg_0mx4hx7k3000xrqd7r7' }),
    to: str(),
    category: str(),
    reference: nullable(str()),
    campaignId: nullable(str()),
    status: str({ enum: ['sending', 'succeeded', 'failed'] }),
    channel: nullable(str({ description: 'The channel it succeeded on.' })),
    createdAt: str({ format: 'date-time' }),
    finishedAt: time(),
    steps: arr(obj({
      step: int(),
      channel: str({ enum: ['rcs', 'smart_sms', 'mms', 'whatsapp', 'sms'] }),
      condition: str({ enum: ['accepted', 'delivered', 'read'] }),
      timeoutSeconds: int(),
      state: str({ enum: ['pending', 'sending', 'waiting', 'succeeded', 'moved_on', 'failed', 'skipped'] }),
      rendering: nullable(str({ description: 'e.g. rcs-card, rcs-text, smart-sms, mms, text-with-link, text, whatsapp-text.' })),
      channelMessageId: nullable(str({ description: 'The channel\'s own message (GET /v1/messages/…, /v1/rcs/messages/…, /v1/mms/messages/…, /v1/whatsapp/messages/…).' })),
      status: nullable(str({ enum: ['accepted', 'sent', 'delivered', 'read', 'failed', 'not_capable'] })),
      statusAt: time(), startedAt: time(), sentAt: time(), finishedAt: time(),
      movedOn: nullable(obj({
        reason: str({ enum: ['not_capable', 'not_renderable', 'rejected', 'failed', 'timeout'] }),
        code: nullable(str()),
        detail: nullable(str()),
      }, ['reason', 'code', 'detail'])),
    }, ['step', 'channel', 'condition', 'timeoutSeconds', 'state', 'movedOn'])),
  }, ['id', 'to', 'status', 'channel', 'steps']),
  FallbackCampaignResult: obj({
    campaignId: str(),
    accepted: int(),
    rejected: arr(obj({ index: int(), to: str(), code: str(), field: str(), message: str() }, ['index', 'to', 'code', 'field', 'message'])),
    channels: arr(obj({ channel: str(), condition: str(), timeoutSeconds: int() }, ['channel', 'condition', 'timeoutSeconds'])),
    messageIds: arr(obj({ index: int(), id: str({ description: 'Read it with GET /v1/messages/{id}.' }) }, ['index', 'id'])),
  }, ['campaignId', 'accepted', 'rejected', 'channels', 'messageIds']),
};

export const fallbackAdminPaths: Record<string, Record<string, Schema>> = {
  '/v1/admin/fallback/stats': {
    get: operation({
      id: 'fallbackStats', tag: 'Admin: routing', auth: 'admin',
      summary: 'How long the fallback engine of the answering process takes to decide',
      description: 'The engine\'s own time per message in its recent decision rounds (claiming, capability lookup, rendering, recording the move, choosing the next step; channel I/O excluded), each message counted once per round: the last 100,000 rounds of this process.',
      ok: { status: 200, description: 'Decision time percentiles.', schema: ref('FallbackStats') },
      errors: [],
    }),
  },
};

fallbackSchemas.FallbackStats = obj({
  process: int({ description: 'The answering process\'s pid (each process keeps its own figures).' }),
  decisions: obj({ rounds: int(), messages: int(), p50Ms: nullable({ type: 'number' }), p99Ms: nullable({ type: 'number' }), maxMs: nullable({ type: 'number' }) }, ['rounds', 'messages', 'p50Ms', 'p99Ms', 'maxMs']),
}, ['process', 'decisions']);
