/** MMS / video SMS: templates, their media and review, sends and statuses (mms.routes.ts). */
import { MMS_API_SCHEMAS } from '../../channels/mms/mms-api-schemas.js';
import { MMS_MESSAGE_STATUSES } from '../../channels/mms/mms-message.repository.js';
import { MMS_PROFILE_IDS } from '../../channels/mms/mms-profiles.js';
import { MMS_TEMPLATE_STATUSES } from '../../channels/mms/mms-template.repository.js';
import { arr, int, nullable, obj, operation, pathParam, queryParam, ref, str, type Schema } from './operation.js';
import { publicMediaOperation } from './public-media-operation.js';

const templateId = pathParam('id', 'MMS template id (mtp_…).', str(), 'mtp_0m3x9k2p1abcdefghij');
const listParams = Object.entries(MMS_API_SCHEMAS.MmsTemplateListQuery.properties).map(([name, schema]) =>
  queryParam(name, name === 'status' ? 'Only templates in this status.' : 'At most this many (1–1000, default 100).', schema as Schema));

const PROFILES = 'Profiles (data table in src/channels/mms/mms-profiles.ts): `cn-mms-50k` (default; whole message ≤ 51,200 bytes, ≤ 10 slides, jpg/png/gif pictures within 640×480, mp3/amr), `cn-mms-80k` (81,920 bytes), `cn-video-sms` (≤ 1,992,294 bytes, ≤ 9 frames, H.264 MP4 video, mp3), `intl-mms-300k` (307,200 bytes, MP4/3GP video). The whole message counts everything the carrier counts: PDU and part headers, SMIL, subject, texts and media.';
const FITTING = 'Pictures are turned upright, stripped of metadata and re-encoded (JPEG; an animated GIF becomes its first frame, transparency goes on white) within the profile\'s box to the budget the texts, SMIL and other media leave, split between the pictures (one that already fits its share untouched keeps its bytes). Videos and audio are checked, never transcoded: too large is MMS_TOO_LARGE naming the field (`slides.2.video`).';
const WORKFLOW = 'draft → submitted → approved | rejected (with a reason), as carriers review MMS templates. Submitting fits the message once for the template\'s profile, with room kept for each {{variable}} (90 bytes); an approved template then sends with no image work. Only approved templates send.';

const SEND_EXAMPLE = { to: '13800138000', templateId: 'mtp_0m3x9k2p1abcdefghij', variables: { name: '李雷' } };
const TEMPLATE_EXAMPLE = {
  name: 'Spring catalogue', profile: 'cn-mms-50k', subject: '【示例科技】春季新品',
  slides: [{ text: '{{name}}，春季新品到店，凭此彩信享 8 折。', image: 'mmd_V1StGXR8Z5jdHi6BmyT0a' }, { text: '详询 400-000-0000 拒收请回复R' }],
  sampleVariables: { name: '李雷' },
};

function withMediaBody(op: Schema): Schema {
  const body = op.requestBody as { content: Record<string, unknown> };
  const binary = (t: string) => ({ schema: { type: 'string', contentMediaType: t, description: 'The file itself (at most 10 MB).' } });
  return { ...op, requestBody: { ...body, content: { 'image/*': binary('image/*'), 'video/*': binary('video/*'), 'audio/*': binary('audio/*'), ...body.content } } };
}

const mediaReport = obj({
  role: str({ enum: ['image', 'video', 'audio'] }), mime: str(), bytes: int(), width: int(), height: int(),
  outcome: str({ enum: ['untouched', 'reencoded', 'first-frame', 'checked'], description: 'Pictures: untouched, re-encoded, or an animated GIF\'s first frame; video and audio: checked.' }),
  sourceBytes: int({ description: 'Size as given.' }),
}, ['role', 'mime', 'bytes', 'outcome', 'sourceBytes']);

export const mmsSchemas: Record<string, Schema> = {
  MmsTemplateRequest: MMS_API_SCHEMAS.MmsTemplateRequest,
  MmsMediaUploadRequest: MMS_API_SCHEMAS.MmsMediaUploadRequest,
  MmsSendRequest: MMS_API_SCHEMAS.MmsSendRequest,
  MmsTemplate: obj({
    id: str(), accountId: str(), name: str(), profile: str({ enum: [...MMS_PROFILE_IDS] }), subject: str(),
    slides: arr(obj({ text: str(), image: str(), video: str(), audio: str(), durationSeconds: int() }, ['text'])),
    variables: arr(str()), sampleVariables: obj({}, [], { additionalProperties: str() }),
    status: str({ enum: [...MMS_TEMPLATE_STATUSES] }), rejectionReason: nullable(str()),
    history: arr(obj({ at: str(), by: str(), action: str(), from: nullable(str()), to: str(), reason: nullable(str()) })),
    createdAt: str({ format: 'date-time' }), updatedAt: str({ format: 'date-time' }), submittedAt: nullable(str({ format: 'date-time' })), decidedAt: nullable(str({ format: 'date-time' })),
  }, ['id', 'accountId', 'name', 'profile', 'subject', 'slides', 'variables', 'sampleVariables', 'status', 'rejectionReason', 'history']),
  MmsTemplateList: obj({ data: arr(ref('MmsTemplate')) }, ['data']),
  MmsMedia: obj({ id: str({ example: 'mmd_V1StGXR8Z5jdHi6BmyT0a' }), kind: str({ enum: ['image', 'video', 'audio'] }), mime: str(), width: nullable(int()), height: nullable(int()), size: int(), sha256: str() }, ['id', 'kind', 'mime', 'size', 'sha256']),
  MmsMediaUpload: obj({ media: ref('MmsMedia') }, ['media']),
  MmsMediaList: obj({ data: arr(ref('MmsMedia')) }, ['data']),
  MmsMessage: obj({
    id: str({ example: 'mms_0m3x9k2p1abcdefghij' }), to: str(), category: str(), templateId: nullable(str()), profile: str({ enum: [...MMS_PROFILE_IDS] }), subject: str(),
    status: str({ enum: [...MMS_MESSAGE_STATUSES], description: 'pending (stored and paid, not yet taken by the gateway) → accepted → delivered | failed.' }),
    errorCode: nullable(str()), providerCode: nullable(str({ description: 'The gateway\'s or network\'s own code (1006, 006…).' })), errorMessage: nullable(str()),
    providerMessageId: nullable(str()), reference: nullable(str({ description: 'The fallback engine\'s step reference, when sent by it.' })),
    totalBytes: int({ description: 'The whole message as the carrier counts it.' }),
    slides: arr(obj({ textBytes: int(), media: arr(mediaReport) }, ['textBytes', 'media']), { description: 'Per slide: text bytes and each medium\'s fitted size.' }),
    costMillis: int(), refundedMillis: int(),
    history: arr(obj({ status: str({ enum: [...MMS_MESSAGE_STATUSES] }), at: str(), code: nullable(str()), detail: nullable(str()) }, ['status', 'at']), { description: 'Every status, oldest first.' }),
    createdAt: str({ format: 'date-time' }), doneAt: nullable(str({ format: 'date-time' })),
  }, ['id', 'to', 'profile', 'status', 'totalBytes', 'slides', 'costMillis', 'history']),
};

export const mmsPaths: Record<string, Record<string, Schema>> = {
  '/v1/mms/templates': {
    post: operation({
      id: 'createMmsTemplate', tag: 'MMS', auth: 'account', summary: 'Create an MMS template (draft)',
      description: `Subject and slide texts may hold {{variables}}; media are uploaded to the template and named by id. ${PROFILES} ${WORKFLOW}`,
      body: { schema: ref('MmsTemplateRequest'), examples: { catalogue: { summary: 'Two slides, a picture on the first', value: TEMPLATE_EXAMPLE } } },
      ok: { status: 201, description: 'The draft.', schema: ref('MmsTemplate') },
      errors: ['VALIDATION_FAILED', 'TEMPLATE_SYNTAX'],
    }),
    get: operation({
      id: 'listMmsTemplates', tag: 'MMS', auth: 'account', summary: 'The account\'s MMS templates, newest first',
      parameters: listParams, ok: { status: 200, description: 'Templates.', schema: ref('MmsTemplateList') }, errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/mms/templates/{id}': {
    get: operation({ id: 'getMmsTemplate', tag: 'MMS', auth: 'account', summary: 'Read one MMS template with its history', parameters: [templateId], ok: { status: 200, description: 'The template.', schema: ref('MmsTemplate') }, errors: ['NOT_FOUND'] }),
    put: operation({
      id: 'replaceMmsTemplate', tag: 'MMS', auth: 'account', summary: 'Replace a draft or rejected MMS template', parameters: [templateId],
      body: { schema: ref('MmsTemplateRequest'), examples: { catalogue: { summary: 'The template, edited', value: TEMPLATE_EXAMPLE } } },
      ok: { status: 200, description: 'The template.', schema: ref('MmsTemplate') },
      errors: ['VALIDATION_FAILED', 'TEMPLATE_SYNTAX', 'NOT_FOUND', 'MMS_TEMPLATE_INVALID_TRANSITION'],
    }),
  },
  '/v1/mms/templates/{id}/submit': {
    post: operation({
      id: 'submitMmsTemplate', tag: 'MMS', auth: 'account', summary: 'Submit an MMS template for review (fits it)',
      description: `Needs a sample value per variable. The message is composed under the template's profile now: a rule broken or a message that cannot fit is refused here, naming the field. ${FITTING}`,
      parameters: [templateId], ok: { status: 200, description: 'The submitted template.', schema: ref('MmsTemplate') },
      errors: ['NOT_FOUND', 'MMS_TEMPLATE_INVALID_TRANSITION', 'MMS_TEMPLATE_INCOMPLETE', 'MMS_INVALID', 'MMS_MEDIA_TYPE_NOT_ALLOWED', 'MMS_TOO_LARGE', 'TEMPLATE_VARIABLE_MISSING'],
    }),
  },
  '/v1/mms/templates/{id}/media': {
    post: withMediaBody(operation({
      id: 'uploadMmsMedia', tag: 'MMS', auth: 'account', summary: 'Upload a picture, video or audio file to a draft or rejected MMS template',
      description: 'The type is judged by the bytes and must be one the template\'s profile takes; at most 10 MB (a video or audio file at most the profile\'s whole-message limit). Stored as given; fitted at submission. Put the answer\'s id in a slide (PUT).',
      parameters: [templateId], body: { schema: ref('MmsMediaUploadRequest') },
      ok: { status: 201, description: 'The stored file.', schema: ref('MmsMediaUpload') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'MMS_TEMPLATE_INVALID_TRANSITION', 'MMS_MEDIA_TYPE_NOT_ALLOWED', 'MMS_TOO_LARGE'],
    })),
    get: operation({ id: 'listMmsMedia', tag: 'MMS', auth: 'account', summary: 'The files uploaded to an MMS template', parameters: [templateId], ok: { status: 200, description: 'Files, oldest first.', schema: ref('MmsMediaList') }, errors: ['NOT_FOUND'] }),
  },
  '/v1/mms/messages': {
    post: operation({
      id: 'sendMms', tag: 'MMS', auth: 'account', summary: 'Send one MMS (template or inline)',
      description: `From an approved template (\`templateId\`, \`variables\`, optional \`profile\`: another profile is fitted on first use and kept) or inline (\`subject\`, \`slides\` with base64 media, fitted now). ${FITTING} Answers once the gateway took it (or refused it): the message with its total size and each slide's media sizes. Price: 3 × the account's price per part; prepaid balances are debited, and refunded when the gateway refuses the message or a failure report comes back under a receipt-based charging mode.`,
      body: { schema: ref('MmsSendRequest'), examples: { template: { summary: 'From an approved template', value: SEND_EXAMPLE } } },
      ok: { status: 202, description: 'The message.', schema: ref('MmsMessage') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'NOT_FOUND', 'MMS_TEMPLATE_NOT_APPROVED', 'MMS_INVALID', 'MMS_MEDIA_TYPE_NOT_ALLOWED', 'MMS_TOO_LARGE', 'TEMPLATE_VARIABLE_MISSING', 'CATEGORY_NOT_ALLOWED', 'INSUFFICIENT_BALANCE'],
    }),
  },
  '/v1/mms/messages/{id}': {
    get: operation({
      id: 'getMms', tag: 'MMS', auth: 'account', summary: 'Read an MMS with its status history',
      parameters: [pathParam('id', 'MMS message id (mms_…).', str(), 'mms_0m3x9k2p1abcdefghij')],
      ok: { status: 200, description: 'The message.', schema: ref('MmsMessage') }, errors: ['NOT_FOUND'],
    }),
  },
  '/mm/{mediaId}': {
    get: publicMediaOperation({
      id: 'getMmsMedia', tag: 'MMS', summary: 'A picture, video or audio file of an approved MMS template, as fitted (public)',
      description: 'What the H5 page of an MMS loads: the page a text step of an MMS send links to (`GET /s/{code}` of its `mms` link, e.g. an MMS down `["mms", "sms"]` that ends as SMS). Only media of approved templates answer, as fitted for the template\'s profile (the bytes the MMS carries); the id is the one the upload answered (21 random characters, not guessable). Cached for a day, with an ETag (If-None-Match answers 304).',
      idPrefix: 'mmd_…', example: 'mmd_V1StGXR8Z5jdHi6BmyT0a', contentType: '*/*', cacheControl: 'public, max-age=86400',
      okDescription: 'The file (image/jpeg, image/png, image/gif, video/mp4, video/3gpp, audio/mpeg, audio/amr).',
    }),
  },
  '/v1/admin/mms/templates': {
    get: operation({
      id: 'reviewMmsTemplates', tag: 'Admin: MMS', auth: 'admin', summary: 'MMS templates of every account: the review queue',
      description: 'Oldest submission first; `status=submitted` is the queue.', parameters: listParams,
      ok: { status: 200, description: 'Templates.', schema: ref('MmsTemplateList') }, errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/admin/mms/templates/{id}': {
    get: operation({ id: 'getMmsTemplateForReview', tag: 'Admin: MMS', auth: 'admin', summary: 'Read any account\'s MMS template', parameters: [templateId], ok: { status: 200, description: 'The template.', schema: ref('MmsTemplate') }, errors: ['NOT_FOUND'] }),
  },
  '/v1/admin/mms/templates/{id}/approve': {
    post: operation({
      id: 'approveMmsTemplate', tag: 'Admin: MMS', auth: 'admin', summary: 'Approve a submitted MMS template', parameters: [templateId],
      body: { schema: ref('ApproveCardTemplateRequest'), description: 'May be empty (`{}`).' },
      ok: { status: 200, description: 'The approved template.', schema: ref('MmsTemplate') }, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'MMS_TEMPLATE_INVALID_TRANSITION'],
    }),
  },
  '/v1/admin/mms/templates/{id}/reject': {
    post: operation({
      id: 'rejectMmsTemplate', tag: 'Admin: MMS', auth: 'admin', summary: 'Reject a submitted MMS template with a reason', parameters: [templateId],
      body: { schema: ref('RejectCardTemplateRequest') },
      ok: { status: 200, description: 'The rejected template.', schema: ref('MmsTemplate') }, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'MMS_TEMPLATE_INVALID_TRANSITION'],
    }),
  },
};
