/** Card templates, their media and review (cards.routes.ts). */
import { CARD_API_SCHEMAS } from '../../cards/card-api-schemas.js';
import { operation, pathParam, queryParam, ref, str, type Schema } from './operation.js';
import { publicMediaOperation } from './public-media-operation.js';

const templateId = pathParam('id', 'Card template id (ctp_…).', str(), 'ctp_0m3x9k2p1abcdefghij');
const queryParams = (q: { properties: Record<string, Schema> }, descriptions: Record<string, string>) =>
  Object.entries(q.properties).map(([name, schema]) => queryParam(name, descriptions[name] ?? '', schema));

const WORKFLOW = 'draft → submitted → approved | rejected, as carriers review smart-SMS templates. A rejected template keeps its reason, is edited (PUT) and submitted again; approved templates cannot change (create a new one). Only approved templates send.';

const COUPON_EXAMPLE = {
  name: 'Spring coupon',
  card: {
    type: 'coupon',
    summary: '{{name}}, your ¥{{amount}} coupon is waiting',
    title: 'A coupon for {{name}}',
    description: 'Use it on any order over ¥100 before {{expiry}}.',
    coupon: { kind: 'coupon', amount: '{{amount}}', currency: '¥', code: '{{code}}', validUntil: '{{expiry}}' },
    buttons: [
      { type: 'copyCode', text: 'Copy code', code: '{{code}}' },
      { type: 'openUrl', text: 'Use it', url: 'https://acme.example/redeem?c={{code}}' },
    ],
  },
  sampleVariables: { name: 'Li Lei', amount: '20', code: 'SPRING20', expiry: '2030-06-30' },
};

/** The upload takes the image bytes themselves besides base64 JSON. */
function withImageBody(op: Schema): Schema {
  const body = op.requestBody as { content: Record<string, unknown> };
  const binary = { schema: { type: 'string', contentMediaType: 'image/*', description: 'The image file itself (at most 10 MB).' } };
  return { ...op, requestBody: { ...body, content: { 'image/jpeg': binary, 'image/png': binary, 'image/webp': binary, 'image/gif': binary, ...body.content } } };
}

export const cardPaths: Record<string, Record<string, Schema>> = {
  '/v1/cards/templates': {
    post: operation({
      id: 'createCardTemplate',
      tag: 'Cards',
      auth: 'account',
      summary: 'Create a card template (draft)',
      description: `The card is checked against its type's schema; text fields and URLs may hold {{variables}} (their formats and patterns are checked once rendered, their lengths count the text around the variables). ${WORKFLOW}`,
      body: { schema: ref('CardTemplateRequest'), examples: { coupon: { summary: 'A coupon with a code to copy and a link', value: COUPON_EXAMPLE } } },
      ok: { status: 201, description: 'The draft.', schema: ref('CardTemplate') },
      errors: ['VALIDATION_FAILED', 'TEMPLATE_SYNTAX'],
    }),
    get: operation({
      id: 'listCardTemplates',
      tag: 'Cards',
      auth: 'account',
      summary: 'The account\'s card templates, newest first',
      parameters: queryParams(CARD_API_SCHEMAS.CardTemplateListQuery, { status: 'Only templates in this status.', type: 'Only cards of this type.', limit: 'At most this many (1–1000, default 100).' }),
      ok: { status: 200, description: 'Templates.', schema: ref('CardTemplateList') },
      errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/cards/templates/{id}': {
    get: operation({
      id: 'getCardTemplate',
      tag: 'Cards',
      auth: 'account',
      summary: 'Read one card template with its history',
      parameters: [templateId],
      ok: { status: 200, description: 'The template.', schema: ref('CardTemplate') },
      errors: ['NOT_FOUND'],
    }),
    put: operation({
      id: 'replaceCardTemplate',
      tag: 'Cards',
      auth: 'account',
      summary: 'Replace a draft or rejected card template',
      description: 'Name, card and sample values are replaced as a whole. The template keeps its status (a rejected one stays rejected, with its reason, until submitted again).',
      parameters: [templateId],
      body: { schema: ref('CardTemplateRequest'), examples: { coupon: { summary: 'The coupon, edited', value: COUPON_EXAMPLE } } },
      ok: { status: 200, description: 'The template.', schema: ref('CardTemplate') },
      errors: ['VALIDATION_FAILED', 'TEMPLATE_SYNTAX', 'NOT_FOUND', 'CARD_TEMPLATE_INVALID_TRANSITION'],
    }),
  },
  '/v1/cards/templates/{id}/submit': {
    post: operation({
      id: 'submitCardTemplate',
      tag: 'Cards',
      auth: 'account',
      summary: 'Submit a card template for review',
      description: 'Needs a sample value for every variable, and the card rendered with them must be valid (that is what the reviewer reads).',
      parameters: [templateId],
      ok: { status: 200, description: 'The submitted template.', schema: ref('CardTemplate') },
      errors: ['NOT_FOUND', 'CARD_TEMPLATE_INVALID_TRANSITION', 'CARD_TEMPLATE_INCOMPLETE', 'CARD_RENDERED_INVALID'],
    }),
  },
  '/v1/cards/templates/{id}/preview': {
    post: operation({
      id: 'previewCardTemplate',
      tag: 'Cards',
      auth: 'account',
      summary: 'Render a card template in every form',
      description: 'Any status. Variables left out take their sample values. Answers the rendered card and its smart-SMS text, H5 page and plain-text fallback.',
      parameters: [templateId],
      body: { schema: ref('CardPreviewRequest'), description: 'May be empty (`{}`).', examples: { one: { summary: 'One recipient\'s values', value: { variables: { name: 'Han Meimei' }, signature: '阿里云', lang: 'en' } } } },
      ok: { status: 200, description: 'The renderings.', schema: ref('CardPreview') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'TEMPLATE_VARIABLE_MISSING', 'CARD_RENDERED_INVALID'],
    }),
  },
  '/v1/cards/templates/{id}/media': {
    post: withImageBody(operation({
      id: 'uploadCardMedia',
      tag: 'Cards',
      auth: 'account',
      summary: 'Upload an image to a draft or rejected card template',
      description: 'JPEG, PNG, WebP or GIF (by its bytes), at most 10 MB and 40 megapixels, at least 64 px a side. The image is turned upright, stripped of metadata (EXIF, GPS, ICC), scaled to fit 1080×1920 and re-encoded under 300 KB in its own format (animated GIFs stay animated), with a JPEG thumbnail within 320×320 and 50 KB. Served at /m/{id}.',
      parameters: [templateId],
      body: { schema: ref('CardMediaUploadRequest') },
      ok: { status: 201, description: 'The stored image; `media` goes into the card.', schema: ref('CardMediaUpload') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CARD_TEMPLATE_INVALID_TRANSITION', 'CARD_MEDIA_TOO_LARGE', 'CARD_MEDIA_TYPE_NOT_ALLOWED', 'CARD_MEDIA_INVALID'],
    })),
    get: operation({
      id: 'listCardMedia',
      tag: 'Cards',
      auth: 'account',
      summary: 'The images uploaded to a card template',
      parameters: [templateId],
      ok: { status: 200, description: 'Images with their thumbnails, oldest first.', schema: ref('CardMediaList') },
      errors: ['NOT_FOUND'],
    }),
  },
  '/m/{mediaId}': {
    get: publicMediaOperation({
      id: 'getCardMedia', tag: 'Cards', summary: 'An uploaded card image (public)',
      description: 'What H5 pages and handsets load. The bytes under an id never change: cached for a year (`immutable`), with an ETag (If-None-Match answers 304).',
      idPrefix: 'med_…', example: 'med_V1StGXR8Z5jdHi6BmyT0a', contentType: 'image/*', okDescription: 'The image.', cacheControl: 'public, max-age=31536000, immutable',
    }),
  },
  '/v1/admin/cards/templates': {
    get: operation({
      id: 'reviewCardTemplates',
      tag: 'Admin: cards',
      auth: 'admin',
      summary: 'Card templates of every account: the review queue',
      description: 'Oldest submission first; `status=submitted` is the queue.',
      parameters: queryParams(CARD_API_SCHEMAS.CardTemplateReviewQuery, { status: 'Only this status (submitted: the queue).', type: 'Only cards of this type.', accountId: 'Only this account.', limit: '1–1000, default 100.' }),
      ok: { status: 200, description: 'Templates.', schema: ref('CardTemplateList') },
      errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/admin/cards/templates/{id}': {
    get: operation({
      id: 'getCardTemplateForReview',
      tag: 'Admin: cards',
      auth: 'admin',
      summary: 'Read any account\'s card template',
      parameters: [templateId],
      ok: { status: 200, description: 'The template.', schema: ref('CardTemplate') },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/admin/cards/templates/{id}/approve': {
    post: operation({
      id: 'approveCardTemplate',
      tag: 'Admin: cards',
      auth: 'admin',
      summary: 'Approve a submitted card template',
      description: 'From now on the account can send it.',
      parameters: [templateId],
      body: { schema: ref('ApproveCardTemplateRequest'), description: 'May be empty (`{}`).', examples: { named: { summary: 'Record who decided', value: { operator: 'alice' } } } },
      ok: { status: 200, description: 'The approved template.', schema: ref('CardTemplate') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CARD_TEMPLATE_INVALID_TRANSITION'],
    }),
  },
  '/v1/admin/cards/templates/{id}/reject': {
    post: operation({
      id: 'rejectCardTemplate',
      tag: 'Admin: cards',
      auth: 'admin',
      summary: 'Reject a submitted card template with a reason',
      parameters: [templateId],
      body: { schema: ref('RejectCardTemplateRequest'), examples: { link: { summary: 'Unregistered link', value: { reason: 'The button links to a domain not registered for this account', operator: 'alice' } } } },
      ok: { status: 200, description: 'The rejected template.', schema: ref('CardTemplate') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CARD_TEMPLATE_INVALID_TRANSITION'],
    }),
  },
};
