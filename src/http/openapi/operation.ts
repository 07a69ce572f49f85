/**
 * Small builders that keep the per-resource path files declarative: an operation names its auth,
 * parameters, body, success response and the error codes it may return; the builder adds the
 * codes every operation of that kind can return (auth, JSON parsing, INTERNAL), groups them by
 * HTTP status from the catalogue, and emits an error schema whose `code` enum is exactly that list.
 */
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it) or any other OpenAPI object. */
export type Schema = Record<string, unknown>;
export type Auth = 'account' | 'admin' | 'none';

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
export const int = (extra: Schema = {}): Schema => ({ type: 'integer', ...extra });
export const bool = (extra: Schema = {}): Schema => ({ type: 'boolean', ...extra });
export const arr = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
export const nullable = (s: Schema): Schema => ({ oneOf: [s, { type: 'null' }] });

/** An object schema: `required` lists the required keys, everything else is optional. */
export function obj(properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...extra };
}

/** A request body the route parses with a strict zod object: unknown keys are a VALIDATION_FAILED. */
export function strictObj(properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return obj(properties, required, { additionalProperties: false, ...extra });
}

export function pathParam(name: string, description: string, schema: Schema = str(), example?: string): Schema {
  return { name, in: 'path', required: true, description, schema, ...(example === undefined ? {} : { example }) };
}

export function queryParam(name: string, description: string, schema: Schema, example?: unknown): Schema {
  return { name, in: 'query', required: false, description, schema, ...(example === undefined ? {} : { example }) };
}

export interface OperationSpec {
  id: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  parameters?: Schema[];
  body?: { schema: Schema; description?: string; examples?: Record<string, { summary: string; value: unknown }> };
  ok: { status: number; description: string; schema?: Schema; example?: unknown; headers?: Record<string, Schema>; contentType?: string };
  /** Codes this route itself may return; auth, JSON parsing and INTERNAL are added here. */
  errors?: ErrorCode[];
}

const AUTH_ERRORS: Record<Auth, ErrorCode[]> = {
  account: ['UNAUTHENTICATED', 'INVALID_API_KEY', 'ACCOUNT_SUSPENDED', 'IP_NOT_ALLOWED'],
  admin: ['ADMIN_KEY_REQUIRED'],
  none: [],
};

const SECURITY: Record<Auth, Schema[]> = {
  account: [{ apiKey: [] }],
  admin: [{ adminKey: [] }],
  none: [],
};

/** The error responses for `codes`, one per HTTP status, each listing its codes. */
export function errorResponses(codes: readonly ErrorCode[]): Record<string, Schema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CODES[code].status;
    if (status === null) throw new Error(`${code} is a message-level code, not an HTTP error`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, Schema> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${ERROR_CODES[c].meaning}`).join('\n\n'),
      content: {
        'application/json': {
          schema: {
            allOf: [ref('ErrorResponse')],
            properties: { error: { type: 'object', properties: { code: { type: 'string', enum: list } } } },
          },
          examples: Object.fromEntries(list.map((c) => [c, { summary: c, value: { error: { code: c, message: ERROR_CODES[c].meaning } } }])),
        },
      },
    };
  }
  return out;
}

/** Builds one OpenAPI Operation Object. */
export function operation(spec: OperationSpec): Schema {
  const codes: ErrorCode[] = [...AUTH_ERRORS[spec.auth], ...(spec.errors ?? [])];
  if (spec.body) codes.push('INVALID_JSON', 'BODY_TOO_LARGE');
  codes.push('INTERNAL');
  const okContent = spec.ok.schema
    ? { content: { [spec.ok.contentType ?? 'application/json']: { schema: spec.ok.schema, ...(spec.ok.example === undefined ? {} : { example: spec.ok.example }) } } }
    : {};
  return {
    operationId: spec.id,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: SECURITY[spec.auth],
    ...(spec.parameters?.length ? { parameters: spec.parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            ...(spec.body.description ? { description: spec.body.description } : {}),
            content: { 'application/json': { schema: spec.body.schema, ...(spec.body.examples ? { examples: spec.body.examples } : {}) } },
          },
        }
      : {}),
    responses: {
      [String(spec.ok.status)]: { description: spec.ok.description, ...(spec.ok.headers ? { headers: spec.ok.headers } : {}), ...okContent },
      ...errorResponses(codes),
    },
  };
}
