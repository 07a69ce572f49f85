/**
 * Component schemas of the WhatsApp routes. Request bodies are generated from the zod schemas the
 * routes parse with (whatsapp-request.ts, whatsapp.routes.ts), so the document cannot drift from
 * the validation; responses are written out here.
 */
import { z } from 'zod';
import { interactivePartSchema } from '../../channels/whatsapp/cloud-api-types.js';
import { contentBranches } from '../../channels/whatsapp/whatsapp-content.js';
import { sendWhatsAppSchema } from '../../channels/whatsapp/whatsapp-request.js';
import { WHATSAPP_STATUSES } from '../../channels/whatsapp/whatsapp-status.js';
import { optInSchema, simulatedInboundSchema } from '../routes/whatsapp.routes.js';
import { arr, bool, int, nullable, obj, ref, str, type Schema } from './operation.js';

/** A zod schema as a plain JSON Schema (2020-12) without the `$schema` key. */
export function jsonSchema(s: z.ZodType): Schema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Schema;
  return rest;
}

const envelope = sendWhatsAppSchema.options[0].shape;
const branch = (b: z.ZodObject) => jsonSchema(b.extend({ to: envelope.to, reference: envelope.reference, fallback: envelope.fallback }).strict());
const [buttons, list] = interactivePartSchema.options;

const interactiveBranch = branch(contentBranches.interactive);
(interactiveBranch.properties as Record<string, Schema>).interactive = {
  type: 'object',
  description: 'Reply buttons (at most 3) or a list (at most 10 rows over at most 10 sections).',
  oneOf: [ref('WhatsAppInteractiveButtons'), ref('WhatsAppInteractiveList')],
};

const iso = (description: string) => str({ format: 'date-time', description });

export const whatsAppMessageExample = {
  id: 'wam_0lx2k3m4n7q1w2e3r4t',
  to: '+919876543218',
  type: 'authentication',
  reference: 'signup-42',
  status: 'failed',
  errorCode: 'WHATSAPP_UNDELIVERABLE',
  providerCode: '131026',
  errorMessage: 'Message undeliverable: The recipient is not a WhatsApp user',
  providerMessageId: 'wamid.HBgLOTE5ODc2NTQzMjE4FQIAERgS',
  createdAt: '2030-01-01T01:00:00.000Z',
  content: { type: 'authentication', authentication: { template: 'login_code', language: 'en_US', code: '482913' } },
  history: [{ status: 'pending', at: '2030-01-01T01:00:00.000Z' }, { status: 'accepted', at: '2030-01-01T01:00:00.080Z' }, { status: 'failed', at: '2030-01-01T01:00:01.000Z' }],
  fallback: { sendId: 'msg_0lx2k3m4p1a2s3d4f5g', condition: 'delivered', timeoutSeconds: 60, state: 'sent', dueAt: null, reason: 'failed', reasonCode: '131026', smsMessageId: 'msg_0lx2k3m4p1a2s3d4f5g.1', sentAt: '2030-01-01T01:00:01.020Z', error: null },
  attempts: [
    { channel: 'whatsapp', id: 'wam_0lx2k3m4n7q1w2e3r4t', status: 'failed', errorCode: 'WHATSAPP_UNDELIVERABLE', providerCode: '131026', at: '2030-01-01T01:00:00.000Z' },
    { channel: 'sms', id: 'msg_0lx2k3m4p1a2s3d4f5g.1', status: 'delivered', errorCode: null, providerCode: null, at: '2030-01-01T01:00:01.020Z', submittedAt: '2030-01-01T01:00:01.031Z', doneAt: '2030-01-01T01:00:03.500Z' },
  ],
};

export const whatsAppSchemas: Record<string, Schema> = {
  WhatsAppTextRequest: branch(contentBranches.text),
  WhatsAppTemplateRequest: branch(contentBranches.template),
  WhatsAppAuthenticationRequest: branch(contentBranches.authentication),
  WhatsAppInteractiveRequest: interactiveBranch,
  WhatsAppInteractiveButtons: jsonSchema(buttons),
  WhatsAppInteractiveList: jsonSchema(list),
  SendWhatsAppRequest: {
    oneOf: [ref('WhatsAppTextRequest'), ref('WhatsAppTemplateRequest'), ref('WhatsAppAuthenticationRequest'), ref('WhatsAppInteractiveRequest')],
    discriminator: {
      propertyName: 'type',
      mapping: {
        text: '#/components/schemas/WhatsAppTextRequest', template: '#/components/schemas/WhatsAppTemplateRequest',
        authentication: '#/components/schemas/WhatsAppAuthenticationRequest', interactive: '#/components/schemas/WhatsAppInteractiveRequest',
      },
    },
    description: 'Meta\'s message shape (`type` and the object of that name) plus `to`, `reference` and `fallback`. `text` and `interactive` need the 24 h window; templates (and `authentication`) do not.',
  },
  WhatsAppStatus: str({
    enum: [...WHATSAPP_STATUSES],
    description: 'pending (stored) → accepted (the API took it) → sent → delivered → read, or failed. Only moves forward: a late `sent` never undoes `read`; `failed` is final.',
  }),
  WhatsAppMessage: obj(
    {
      id: str({ description: 'wam_…' }),
      to: str({ description: 'E.164.' }),
      type: str({ enum: ['text', 'template', 'authentication', 'interactive'] }),
      reference: nullable(str()),
      status: ref('WhatsAppStatus'),
      errorCode: nullable(str({ description: 'Platform code when failed: WHATSAPP_UNDELIVERABLE, WHATSAPP_REENGAGEMENT_REQUIRED, WHATSAPP_FAILED, WHATSAPP_REJECTED, WHATSAPP_UNAVAILABLE.' })),
      providerCode: nullable(str({ description: 'Meta\'s own error code, e.g. 131026.' })),
      errorMessage: nullable(str()),
      providerMessageId: nullable(str({ description: 'Meta\'s wamid.' })),
      createdAt: iso('When the platform stored it.'),
      content: { type: 'object', description: 'The content as sent (the request without to, reference and fallback).' },
      history: arr(obj({ status: ref('WhatsAppStatus'), at: iso('When first seen.') }, ['status', 'at']), { description: 'Every status reached, in lifecycle order, with the time first seen (Meta\'s webhook times have whole-second precision).' }),
      fallback: nullable(obj({
        sendId: str({ description: 'The fallback engine\'s send (msg_…): GET /v1/messages/{id} shows its steps, and the customer\'s status report names it.' }),
        condition: str({ enum: ['accepted', 'delivered', 'read'], description: 'What WhatsApp had to reach in time (`accepted` only for chains sent with POST /v1/messages).' }),
        timeoutSeconds: int(),
        state: str({ enum: ['armed', 'not_needed', 'claimed', 'sent', 'error'], description: 'armed: waiting for the condition; not_needed: reached; claimed: the SMS is being sent; sent; error: the SMS was refused (see error).' }),
        dueAt: nullable(iso('While armed: when the SMS goes out unless the condition is reached.')),
        reason: nullable(str({ enum: ['failed', 'timeout'], description: 'Why it fell back: WhatsApp failed or refused, or the condition was not reached in time.' })),
        reasonCode: nullable(str({ description: 'When WhatsApp failed: Meta\'s error code (e.g. 131026), or the platform\'s refusal code.' })),
        smsMessageId: nullable(str({ description: 'The SMS (GET /v1/messages/{id}).' })),
        sentAt: nullable(iso('When the SMS was accepted.')),
        error: nullable(str({ description: 'Why the SMS was refused (`CODE: message`, e.g. INSUFFICIENT_BALANCE); not retried.' })),
      }, ['sendId', 'condition', 'timeoutSeconds', 'state', 'dueAt', 'reason', 'reasonCode', 'smsMessageId', 'sentAt', 'error'], {
        description: 'Set when the message is a step of a fallback send (POST /v1/whatsapp/messages with `fallback`, or a chain of POST /v1/messages): derived from the engine\'s steps, this one and the next.',
      })),
      attempts: arr(obj({
        channel: str({ enum: ['whatsapp', 'sms'] }),
        id: str({ description: 'wam_… or the SMS msg_….' }),
        status: nullable(str({ description: 'The WhatsApp status, or the SMS message status (queued, submitted, delivered, failed…).' })),
        errorCode: nullable(str()),
        providerCode: nullable(str()),
        at: nullable(iso('When the attempt started.')),
        submittedAt: nullable(iso('SMS: submitted upstream.')),
        doneAt: nullable(iso('SMS: final receipt.')),
      }, ['channel', 'id', 'status', 'errorCode', 'providerCode', 'at']), { description: 'The WhatsApp attempt, then the SMS when it fell back.' }),
    },
    ['id', 'to', 'type', 'reference', 'status', 'errorCode', 'providerCode', 'errorMessage', 'providerMessageId', 'createdAt', 'content', 'history', 'fallback', 'attempts'],
    { example: whatsAppMessageExample },
  ),
  WhatsAppFallbackSend: obj(
    {
      id: str({ description: 'The send (msg_…), read with GET /v1/messages/{id}.' }),
      status: str({ enum: ['sending', 'succeeded', 'failed'] }),
      channel: nullable(str({ description: 'The channel that succeeded.' })),
      steps: arr({ type: 'object', description: 'One per channel of the chain: channel, state, channelMessageId, movedOn {reason, code, detail}…' }),
    },
    ['id', 'status', 'channel', 'steps'],
    { description: 'A fallback send as GET /v1/messages/{id} shows it: the rare answer of POST /v1/whatsapp/messages with `fallback` when WhatsApp stored no message.' },
  ),
  WhatsAppOptInRequest: jsonSchema(optInSchema),
  WhatsAppOptIn: obj(
    {
      number: str({ description: 'E.164.' }),
      optedIn: bool(),
      optedInAt: iso('When consent was (last) recorded.'),
      source: str(),
      optedOutAt: nullable(iso('When it was withdrawn.')),
      optOutSource: nullable(str()),
      updatedAt: iso('Last change.'),
    },
    ['number', 'optedIn', 'optedInAt', 'source', 'optedOutAt', 'optOutSource', 'updatedAt'],
    { example: { number: '+919876543210', optedIn: true, optedInAt: '2030-01-01T00:00:00.000Z', source: 'signup_form', optedOutAt: null, optOutSource: null, updatedAt: '2030-01-01T00:00:00.000Z' } },
  ),
  WhatsAppWebhookAck: obj({ ok: bool({ const: true }), statuses: int({ description: 'Statuses applied.' }), inbound: int({ description: 'User messages stored (repeats not counted).' }), ignored: int() }, ['ok', 'statuses', 'inbound', 'ignored']),
  SimulatedInboundRequest: jsonSchema(simulatedInboundSchema),
  SimulatedInboundResponse: obj({ id: str({ description: 'The wamid of the user\'s message.' }), delivered: bool({ description: 'The webhook reached the platform.' }) }, ['id', 'delivered']),
};
