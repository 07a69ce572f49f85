/**
 * JSON Schemas of the card API's request bodies and queries. The same objects are compiled on the
 * platform's one validator (the routes parse with them) and published in the OpenAPI document
 * (src/http/openapi/schemas-cards.ts), so the documentation cannot drift from what is enforced.
 * `card` is checked separately, against the schema its `type` names (card-schemas.ts).
 */
import type { AnySchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import { CARD_TYPES } from './card-model.js';
import { CARD_TEMPLATE_STATUSES } from './card-template.repository.js';
import { compiledSchema } from './json-validator.js';

const ID_BASE = 'https://sms-platform.example/card-api/';
const VARIABLE_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const operator = { type: 'string', minLength: 1, maxLength: 100, description: 'Who decided (recorded in history).', examples: ['alice'] };

export const CARD_API_SCHEMAS = {
  CardTemplateRequest: {
    type: 'object',
    description: 'A card template: its name, the card with {{variables}}, and example values for the variables.',
    required: ['name', 'card'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100, description: 'For you and the reviewer; not shown to recipients.' },
      card: {
        type: 'object',
        description: 'The card: `type` picks its schema (image-text, coupon, short-video, flight, train-ticket, order-notice, carousel); `version` defaults to the latest. Text fields and URLs may hold {{variables}}.',
      },
      sampleVariables: {
        type: 'object',
        description: 'An example value for each variable: previews use them, and a submission needs one per variable.',
        maxProperties: 100,
        propertyNames: { pattern: VARIABLE_NAME },
        additionalProperties: { type: 'string', maxLength: 500 },
      },
    },
  },
  CardPreviewRequest: {
    type: 'object',
    description: 'Values for the variables (sample values fill the ones left out) and what the text forms carry.',
    additionalProperties: false,
    properties: {
      variables: {
        type: 'object',
        maxProperties: 100,
        propertyNames: { pattern: VARIABLE_NAME },
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
      signature: { type: 'string', minLength: 2, maxLength: 8, pattern: '^[^【】]+$', description: 'The signature the smart-SMS text starts with, without 【】.' },
      link: { type: 'string', minLength: 1, maxLength: 2048, description: 'The parse link placed in the smart-SMS and plain texts (default: a placeholder).' },
      lang: { enum: ['zh-CN', 'en'], description: 'Language of the fixed labels on the H5 page and in the plain text (default zh-CN).' },
    },
  },
  ApproveCardTemplateRequest: {
    type: 'object',
    additionalProperties: false,
    properties: { operator },
  },
  RejectCardTemplateRequest: {
    type: 'object',
    required: ['reason'],
    additionalProperties: false,
    properties: {
      reason: { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S', description: 'What the account must fix.' },
      operator,
    },
  },
  CardTemplateListQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: [...CARD_TEMPLATE_STATUSES] },
      type: { enum: [...CARD_TYPES] },
      limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$', description: '1–1000, default 100.' },
    },
  },
  CardTemplateReviewQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: [...CARD_TEMPLATE_STATUSES] },
      type: { enum: [...CARD_TYPES] },
      accountId: { type: 'string', minLength: 1 },
      limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' },
    },
  },
  CardMediaUploadRequest: {
    type: 'object',
    description: 'An image as base64 JSON (or send the bytes themselves with Content-Type: image/jpeg, image/png, image/webp or image/gif).',
    required: ['data'],
    additionalProperties: false,
    properties: {
      data: { type: 'string', minLength: 1, contentEncoding: 'base64', pattern: '^[A-Za-z0-9+/=\\s]+$', description: 'The image file, base64 (at most 10 MB decoded).' },
      filename: { type: 'string', minLength: 1, maxLength: 200, description: 'Kept for your reference only.' },
    },
  },
} as const satisfies Record<string, AnySchemaObject>;

export type CardApiSchemaName = keyof typeof CARD_API_SCHEMAS;

/** The compiled validator of one API schema (compiled once, on the shared validator). */
export const cardApiValidator = (name: CardApiSchemaName): ValidateFunction => compiledSchema(`${ID_BASE}${name}.json`, CARD_API_SCHEMAS[name]);
