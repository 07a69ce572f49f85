/**
 * JSON Schemas of the MMS API's request bodies and queries, compiled on the platform's one
 * validator (the routes parse with them) and published as OpenAPI components, so the documentation
 * cannot drift from what is enforced. Slide rules that depend on the profile (slide count, media
 * types, sizes) are checked by mms-rules.ts and mms-compose.ts, naming the field.
 */
import type { AnySchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import { CATEGORIES } from '../../accounts/account.js';
import { compiledSchema } from '../../cards/json-validator.js';
import { MMS_PROFILE_IDS } from './mms-profiles.js';
import { MMS_TEMPLATE_STATUSES } from './mms-template.repository.js';

const ID_BASE = 'https://sms-platform.example/mms-api/';
const VARIABLE_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const MEDIA_ID = { type: 'string', pattern: '^mmd_[A-Za-z0-9_-]{21}$', description: 'An id from the template\'s media upload.' };
const BASE64 = (what: string) => ({ type: 'string', minLength: 1, pattern: '^[A-Za-z0-9+/=\\s]+$', contentEncoding: 'base64', description: `${what}, base64 (the type is judged by its bytes).` });
const profile = { enum: [...MMS_PROFILE_IDS], description: 'Carrier profile: cn-mms-50k (default), cn-mms-80k, cn-video-sms, intl-mms-300k.' };
const text = { type: 'string', minLength: 1, maxLength: 1000, description: 'The slide\'s text (required on every slide); may hold {{variables}} in templates.' };
const duration = { type: 'integer', minimum: 1, maximum: 60, description: 'Seconds the slide shows (default 5, a video slide 15).' };
const limit = { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$', description: '1–1000, default 100.' };

export const MMS_API_SCHEMAS = {
  MmsTemplateRequest: {
    type: 'object',
    description: 'An MMS template: subject and slides (text with {{variables}}, media by upload id), the profile it is reviewed and fitted for, example values.',
    required: ['name', 'slides'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      profile,
      subject: { type: 'string', maxLength: 200, description: 'The MMS subject; may hold {{variables}}.' },
      slides: {
        type: 'array', minItems: 1, maxItems: 10,
        items: {
          type: 'object', required: ['text'], additionalProperties: false,
          properties: { text, image: MEDIA_ID, video: MEDIA_ID, audio: MEDIA_ID, durationSeconds: duration },
        },
      },
      sampleVariables: { type: 'object', maxProperties: 100, propertyNames: { pattern: VARIABLE_NAME }, additionalProperties: { type: 'string', maxLength: 500 } },
    },
  },
  MmsTemplateListQuery: {
    type: 'object',
    additionalProperties: false,
    properties: { status: { enum: [...MMS_TEMPLATE_STATUSES] }, limit },
  },
  MmsMediaUploadRequest: {
    type: 'object',
    description: 'A picture, video or audio file as base64 JSON (or send the bytes with Content-Type image/*, video/* or audio/*).',
    required: ['data'],
    additionalProperties: false,
    properties: { data: BASE64('The file'), filename: { type: 'string', minLength: 1, maxLength: 200, description: 'For your reference only.' } },
  },
  MmsSendRequest: {
    type: 'object',
    description: 'One MMS to one number: from an approved template (`templateId`, `variables`) or inline (`subject`, `slides` with base64 media). Exactly one of templateId and slides.',
    required: ['to'],
    additionalProperties: false,
    properties: {
      to: { type: 'string', minLength: 3, maxLength: 32, description: 'The recipient: E.164, or a mainland China number without +86.' },
      category: { enum: CATEGORIES.filter((c) => c !== 'otp'), description: 'notification (default) or marketing.' },
      templateId: { type: 'string', minLength: 1, maxLength: 64 },
      variables: { type: 'object', maxProperties: 100, propertyNames: { pattern: VARIABLE_NAME }, additionalProperties: { type: ['string', 'number', 'boolean'] } },
      profile,
      subject: { type: 'string', maxLength: 200 },
      slides: {
        type: 'array', minItems: 1, maxItems: 10,
        items: {
          type: 'object', required: ['text'], additionalProperties: false,
          properties: { text, image: BASE64('A picture (jpg, png, gif; fitted to the budget)'), video: BASE64('A video (H.264 MP4; checked, not transcoded)'), audio: BASE64('An audio file (mp3, amr)'), durationSeconds: duration },
        },
      },
    },
  },
} as const satisfies Record<string, AnySchemaObject>;

export type MmsApiSchemaName = keyof typeof MMS_API_SCHEMAS;
export const mmsApiValidator = (name: MmsApiSchemaName): ValidateFunction => compiledSchema(`${ID_BASE}${name}.json`, MMS_API_SCHEMAS[name]);
