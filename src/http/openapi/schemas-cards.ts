/**
 * Component schemas of card templates. The card schemas are card-schemas/*.json themselves and the
 * request schemas are the objects the routes validate with (src/cards/card-api-schemas.ts), turned
 * into components: `$ref`s between the files become component references, `$id`/`$schema` go.
 */
import { CARD_API_SCHEMAS } from '../../cards/card-api-schemas.js';
import { readCardSchemaFiles } from '../../cards/card-schemas.js';
import { CARD_TEMPLATE_STATUSES } from '../../cards/card-template.repository.js';
import { arr, int, nullable, obj, ref, str, type Schema } from './operation.js';

const pascal = (s: string) => s.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const versioned = (name: string, version: number) => (version === 1 ? name : `${name}V${version}`);
/** Component name of a card type (`coupon` → CardCoupon) or of a shared part (`button` → CardButton). */
export const cardComponent = (name: string, version = 1) => versioned(`Card${pascal(name)}`, version);

function refTarget(ref: string, fileVersion: number): string {
  const m = /^(?:([a-z-]+)\.v(\d+)\.json)?#\/\$defs\/(\w+)$/.exec(ref) ?? /^([a-z-]+)\.v(\d+)\.json$/.exec(ref);
  if (!m) throw new Error(`card schema $ref ${ref} cannot be mapped to a component`);
  if (m[3] !== undefined) return `#/components/schemas/${cardComponent(m[3], m[2] ? Number(m[2]) : fileVersion)}`;
  return `#/components/schemas/${cardComponent(m[1], Number(m[2]))}`;
}

/** A card schema node as an OpenAPI 3.1 schema. */
function convert(node: unknown, version: number): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, version));
  if (!node || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  // A discriminated union documents as its branches; the branch-defining keywords are for ajv.
  const keys = src.discriminator ? ['description', 'oneOf', 'discriminator'] : Object.keys(src).filter((k) => !['$schema', '$id', '$defs'].includes(k));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (src[k] === undefined) continue;
    if (k === '$ref') out.$ref = refTarget(src.$ref as string, version);
    else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(src.properties as object).map(([p, v]) => [p, convert(v, version)]));
    else out[k] = convert(src[k], version);
  }
  if (src.discriminator) out.type = 'object';
  return out;
}

function cardComponents(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const types: string[] = [];
  for (const f of readCardSchemaFiles()) {
    const defs = (f.schema.$defs ?? {}) as Record<string, unknown>;
    for (const [name, def] of Object.entries(defs)) out[cardComponent(name, f.version)] = convert(def, f.version) as Schema;
    if (f.type) {
      out[cardComponent(f.type, f.version)] = convert(f.schema, f.version) as Schema;
      types.push(cardComponent(f.type, f.version));
    }
  }
  out.Card = {
    description: 'A card: `type` picks its schema (card-schemas/<type>.v<version>.json). In a template, every text field and URL may hold {{variables}}; a rendered card must satisfy every rule.',
    type: 'object',
    oneOf: types.map(ref),
    discriminator: { propertyName: 'type' },
  };
  return out;
}

/** A request schema with `card` documented as the Card union. */
const withCard = (s: Schema): Schema => ({ ...s, properties: { ...(s.properties as object), card: { ...ref('Card'), description: (s.properties as Record<string, Schema>).card.description } } });

const event = obj(
  {
    at: str({ format: 'date-time' }),
    by: str({ description: '`account:<id>`, or `operator` / `operator:<name>` for decisions.' }),
    action: str({ enum: ['created', 'edited', 'submitted', 'approved', 'rejected'] }),
    from: nullable(str({ enum: [...CARD_TEMPLATE_STATUSES] })),
    to: str({ enum: [...CARD_TEMPLATE_STATUSES] }),
    reason: nullable(str()),
  },
  ['at', 'by', 'action', 'from', 'to', 'reason'],
);

const rendering = obj({ kind: str({ example: 'h5' }), contentType: str({ example: 'text/html; charset=utf-8' }), body: str() }, ['kind', 'contentType', 'body']);

const mediaUpload = obj(
  {
    id: str({ description: 'The image\'s media id.', example: 'med_V1StGXR8Z5jdHi6BmyT0a' }),
    thumbnailId: str(),
    media: { ...ref('CardImage'), description: 'Put this object in the card\'s `media` as is.' },
  },
  ['id', 'thumbnailId', 'media'],
);

export const cardSchemas: Record<string, Schema> = {
  ...cardComponents(),
  CardTemplateRequest: withCard(CARD_API_SCHEMAS.CardTemplateRequest),
  CardPreviewRequest: CARD_API_SCHEMAS.CardPreviewRequest,
  ApproveCardTemplateRequest: CARD_API_SCHEMAS.ApproveCardTemplateRequest,
  RejectCardTemplateRequest: CARD_API_SCHEMAS.RejectCardTemplateRequest,
  CardMediaUploadRequest: CARD_API_SCHEMAS.CardMediaUploadRequest,
  CardTemplateEvent: event,
  CardTemplate: obj(
    {
      id: str({ example: 'ctp_0m3x9k2p1abcdefghij' }),
      accountId: str(),
      name: str(),
      type: str({ enum: readCardSchemaFiles().flatMap((f) => (f.type ? [f.type] : [])) }),
      version: int({ minimum: 1 }),
      card: { ...ref('Card'), description: 'As saved: with its {{variables}}.' },
      variables: arr(str(), { description: 'The variables the card uses, in first-use order.' }),
      sampleVariables: obj({}, [], { additionalProperties: str(), description: 'Example values (previews, review).' }),
      status: str({ enum: [...CARD_TEMPLATE_STATUSES], description: 'draft → submitted → approved | rejected; a rejected template is edited and submitted again. Only approved templates send.' }),
      rejectionReason: nullable(str({ description: 'The reviewer\'s reason while rejected (cleared on resubmission).' })),
      history: arr(ref('CardTemplateEvent'), { description: 'Every action, oldest first.' }),
      createdAt: str({ format: 'date-time' }),
      updatedAt: str({ format: 'date-time' }),
      submittedAt: nullable(str({ format: 'date-time' })),
      decidedAt: nullable(str({ format: 'date-time' })),
    },
    ['id', 'accountId', 'name', 'type', 'version', 'card', 'variables', 'sampleVariables', 'status', 'rejectionReason', 'history', 'createdAt', 'updatedAt', 'submittedAt', 'decidedAt'],
  ),
  CardTemplateList: obj({ data: arr(ref('CardTemplate')) }, ['data']),
  CardPreview: obj(
    {
      card: { ...ref('Card'), description: 'The card with the variables rendered (valid against its schema).' },
      renderings: obj(
        { 'smart-sms': rendering, h5: rendering, text: rendering, rcs: rendering },
        ['smart-sms', 'h5', 'text', 'rcs'],
        { description: 'smart-sms: 【signature】 summary link; h5: the card as a complete mobile page; text: the plain-text fallback; rcs: the 5G message JSON ({"messageList": […]}, botmessage card or carousel plus suggestion chips).' },
      ),
    },
    ['card', 'renderings'],
  ),
  CardMediaUpload: obj({ ...(mediaUpload.properties as object), source: obj({ format: str(), width: int(), height: int(), bytes: int(), animated: { type: 'boolean' } }, ['format', 'width', 'height', 'bytes', 'animated'], { description: 'What was uploaded, before processing.' }) }, [...(mediaUpload.required as string[]), 'source']),
  CardMediaList: obj({ data: arr(mediaUpload) }, ['data']),
};
