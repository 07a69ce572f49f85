/**
 * Every stable error code the platform emits, with its HTTP status and what it means. The OpenAPI
 * operations reference these by name (so a route can only document a code that exists here), and
 * test/api/openapi.test.ts checks that every code literal in src/ and every row of docs/api.md's
 * table is in this catalogue.
 *
 * `status` is the HTTP status of an error response. `null` marks a message-level code: the request
 * itself succeeds (202) and the code shows up as a message's `errorCode`, in a batch's `rejected[]`,
 * and in its status report.
 */
export interface ErrorCodeInfo {
  readonly status: number | null;
  readonly meaning: string;
}

export const ERROR_CODES = {
  // Request handling (src/http/error-handler.ts)
  VALIDATION_FAILED: { status: 400, meaning: 'A field broke a schema rule; `field` names the first one, `details` lists up to 20 as {field, rule, message}.' },
  INVALID_JSON: { status: 400, meaning: 'The request body is not valid JSON.' },
  BODY_TOO_LARGE: { status: 413, meaning: 'The request body is over 20 MB.' },
  ROUTE_NOT_FOUND: { status: 404, meaning: 'No route for this method and path.' },
  INTERNAL: { status: 500, meaning: 'Unexpected server error; retrying with the same Idempotency-Key is safe.' },
  NOT_FOUND: { status: 404, meaning: 'The addressed resource (message, template, account, signature) does not exist in this account.' },

  // Authentication (src/http/auth.ts)
  UNAUTHENTICATED: { status: 401, meaning: 'No `Authorization: Bearer <key>` header.' },
  INVALID_API_KEY: { status: 401, meaning: 'The API key is unknown or was revoked (keys are revoked when rotated).' },
  ACCOUNT_SUSPENDED: { status: 403, meaning: 'The account is suspended (PATCH /v1/admin/accounts/{id} with status).' },
  PROVINCE_BLOCKED: { status: null, meaning: 'The account may not send to numbers of that province (per-account province blocking).' },
  SIMULATOR_NOT_RUNNING: { status: 409, meaning: 'This process does not run the bundled SMSC simulator (ROLES has no simulator).' },
  VERIFY_NUMBER_RATE_LIMITED: { status: 429, meaning: 'Too many verification codes to this number (2/min, 3/3 min, 3/5 min across accounts); wait before starting or resending.' },
  VERIFY_IP_RATE_LIMITED: { status: 429, meaning: 'Too many verification codes for this clientIp (10/min, 50/h).' },
  VERIFY_ACCOUNT_RATE_LIMITED: { status: 429, meaning: "Too many verification codes for this account in one minute (60,000)." },
  VERIFICATION_NOT_PENDING: { status: 409, meaning: 'The verification is approved, expired, cancelled or out of checks (or its code expired): start a new one.' },
  VERIFICATION_MAX_SENDS: { status: 429, meaning: 'The verification was already sent 5 times (initial, failovers and resends).' },
  SYSTEM_ID_TAKEN: { status: 409, meaning: 'The SMPP system_id belongs to another account; system ids are global because a bind names only the system_id.' },
  EXTENSION_TAKEN: { status: 409, meaning: 'The MO extension already belongs to another account; extensions route replies, so they are unique.' },
  IP_NOT_ALLOWED: { status: 403, meaning: "The caller's IP address is not in the account's ipAllowlist." },
  ADMIN_KEY_REQUIRED: { status: 401, meaning: '/v1/admin/* needs the operator key (ADMIN_KEY) as a bearer token.' },

  // Idempotency (src/http/idempotency.ts)
  INVALID_IDEMPOTENCY_KEY: { status: 400, meaning: 'Idempotency-Key must be 1–255 characters.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'This Idempotency-Key was already used with a different request body or path.' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, meaning: 'A request with this Idempotency-Key is still running; retry shortly.' },

  // Sending (src/http/routes/messages.routes.ts, src/messages/*)
  CATEGORY_NOT_ALLOWED: { status: 403, meaning: 'The account may not send this category (see the account\'s `categories`).' },
  TEMPLATE_NOT_FOUND: { status: 400, meaning: 'template.id does not exist in this account.' },
  TEMPLATE_NOT_APPROVED: { status: 400, meaning: 'The template is pending or rejected; only approved templates send.' },
  TEMPLATE_CATEGORY_MISMATCH: { status: 400, meaning: 'The template was approved for another category.' },
  TEMPLATE_VARIABLE_MISSING: { status: 400, meaning: 'A {{variable}} of the template has no value (batch: reported per recipient in rejected[]).' },
  TEMPLATE_VARIABLE_INVALID: { status: 400, meaning: 'A template variable is not a printable scalar. Not returned by the HTTP API today: the schema only admits scalars and such failures surface as TEMPLATE_VARIABLE_MISSING.' },
  TEXT_EMPTY: { status: 400, meaning: 'The text (after rendering the template) is blank (batch: per recipient in rejected[]).' },
  INVALID_NUMBER: { status: 400, meaning: 'Not a valid phone number (batch: per recipient in rejected[], nothing stored for it).' },
  INSUFFICIENT_BALANCE: { status: 402, meaning: 'A prepaid account\'s balance does not cover the send; nothing was stored.' },
  NOT_CANCELLABLE: { status: 409, meaning: 'Only scheduled messages can be cancelled; this one has already moved on.' },

  // Account self-service and admin
  TEMPLATE_SYNTAX: { status: 400, meaning: 'A template body may only use plain {{variable}} substitutions.' },
  REASON_REQUIRED: { status: 400, meaning: 'Rejecting a template needs a reason.' },
  UNKNOWN_CHANNEL: { status: 400, meaning: 'A pool names a channel that does not exist.' },

  // Sender ID registrations (src/senders/sender-registrations.ts)
  COUNTRY_NOT_SUPPORTED: { status: 400, meaning: 'The sender ID rules table has no entry for this country (GET /v1/sender-id-rules lists them), so a sender cannot be registered there.' },
  SENDER_ID_TYPE_NOT_ALLOWED: { status: 400, meaning: 'The sender ID\'s type (numeric, short code, alphabetic, alphanumeric) is not allowed in that country.' },
  SENDER_ID_INCOMPLETE: { status: 400, meaning: 'A submission needs a use case, and at least one document where the country requires registration; `field` says which is missing.' },
  SENDER_ID_EXISTS: { status: 409, meaning: 'The account already has a registration of this sender ID for that country; edit that one.' },
  SENDER_ID_INVALID_TRANSITION: { status: 409, meaning: 'The registration\'s status does not allow this move (edit and submit: draft or rejected; approve and reject: submitted).' },

  // Card templates and their media (src/cards, src/http/routes/cards.routes.ts)
  CARD_TEMPLATE_INVALID_TRANSITION: { status: 409, meaning: 'The card template\'s status does not allow this (edit, media upload and submit: draft or rejected; approve and reject: submitted).' },
  CARD_TEMPLATE_INCOMPLETE: { status: 400, meaning: 'A submission needs sampleVariables with a value for every {{variable}} of the card; `field` names the first one missing.' },
  CARD_TEMPLATE_NOT_APPROVED: { status: 409, meaning: 'The card template is draft, submitted or rejected; only approved templates send.' },
  CARD_RENDERED_INVALID: { status: 400, meaning: 'The card rendered with these variable values breaks its schema (a URL that is no longer a URL, a title over 200 characters…); `field` names the card field, `details[].variables` the variables it came from.' },
  CARD_MEDIA_TOO_LARGE: { status: 413, meaning: 'The uploaded image is over 10 MB.' },
  CARD_MEDIA_TYPE_NOT_ALLOWED: { status: 415, meaning: 'The upload is not a JPEG, PNG, WebP or GIF image (judged by its bytes), or came with another Content-Type than image/* or JSON.' },
  CARD_MEDIA_INVALID: { status: 400, meaning: 'The image is empty, cannot be decoded, is over 40 megapixels or under 64 px a side, or cannot be brought under the card\'s size limit.' },

  // Pull reports (src/http/routes/reports.routes.ts)
  INVALID_CURSOR: { status: 400, meaning: '`after` must be a non-negative integer (a reportId).' },
  INVALID_LIMIT: { status: 400, meaning: '`limit` must be an integer from 1 to 1000.' },
  INVALID_IDS: { status: 400, meaning: '`ids` must be 1–1000 positive integer report ids.' },

  // Backfill-rate report (src/verify/backfill-report-params.ts)
  INVALID_REPORT_PERIOD: { status: 400, meaning: '`from` and `until` are required dates (YYYY-MM-DD) or date-times with a zone, `until` after `from`, at most 366 days apart; `field` says which.' },
  INVALID_GROUP_BY: { status: 400, meaning: '`groupBy` names dimensions of the report, comma-separated, each at most once (backfill: country, channel, route, sender, day; clicks: campaign, link, day, hour, button, device, os, browser; fallback: step, channel, day).' },
  INVALID_TIME_ZONE: { status: 400, meaning: '`tz` must be an IANA time zone such as UTC or Asia/Shanghai.' },

  // Click report (src/links/click-report-params.ts)
  INVALID_REPORT_FILTER: { status: 400, meaning: '`campaign` and `templateId` are given at most once each, 1–64 letters, digits, `.`, `_`, `:` or `-`; `category` (fallback report) is otp, notification or marketing.' },

  // Content checks: the message is stored as failed and reported (DOMAIN.md §2)
  SIGNATURE_MISSING: { status: null, meaning: 'Domestic text without a leading 【signature】 and no `signature` field.' },
  SIGNATURE_INVALID_LENGTH: { status: null, meaning: 'The signature is not 2–8 characters.' },
  SIGNATURE_NOT_REGISTERED: { status: null, meaning: 'The signature is not registered and approved for this account.' },
  SIGNATURE_STRAY_BRACKETS: { status: null, meaning: '【】 used outside the signature (account setting strayBrackets=reject).' },
  SIGNATURE_MISMATCH: { status: null, meaning: 'The text\'s 【signature】 differs from the `signature` field.' },
  MARKETING_SUFFIX_MISSING: { status: null, meaning: 'Marketing text does not end with 拒收请回复R (setting marketingSuffix=reject).' },
  KEYWORD_BLOCKED: { status: null, meaning: 'The text contains a word from the absolute block list.' },
  KEYWORD_GROUP_HIT: { status: null, meaning: 'The text contains a word from one of the account\'s keyword groups.' },
  UNREGISTERED_LINK: { status: null, meaning: 'The text carries a link not registered for the account.' },
  UNREGISTERED_PHONE: { status: null, meaning: 'The text carries a phone number not registered for the account.' },
  OUTSIDE_SENDING_WINDOW: { status: null, meaning: 'Marketing outside its window (setting outsideWindow=reject).' },

  // Policy gate: blacklists, caps, anti-bombing (DOMAIN.md §4)
  BLACKLIST_HIGH: { status: null, meaning: 'The number is on a high-level blacklist group the account honours.' },
  BLACKLIST_LOW: { status: null, meaning: 'The number is on a low-level blacklist group the account honours.' },
  BLACKLIST_UNSUBSCRIBED: { status: null, meaning: 'The number replied R (unsubscribe) to this account; marketing only.' },
  CAP_NUMBER_MINUTE: { status: null, meaning: 'Too many messages to this number this minute.' },
  CAP_NUMBER_DAILY: { status: null, meaning: 'Too many messages to this number today.' },
  CAP_CONTENT_MINUTE: { status: null, meaning: 'Too many identical messages to this number this minute.' },
  CAP_CONTENT_DAILY: { status: null, meaning: 'Too many identical messages to this number today.' },
  CAP_HIGH_RISK_DAILY: { status: null, meaning: 'High-risk marketing: over 1 per number per day.' },
  OTP_ANTI_BOMBING: { status: null, meaning: 'Too many OTPs to this number across signatures (2/1 min, 3/3 min, 3/5 min).' },

  // International sender IDs (src/senders/sender-policy.ts)
  SENDER_NOT_REGISTERED: { status: null, meaning: 'Marketing to a country that requires registration, from a sender ID not registered and approved for marketing there (otp and notification fall back to the generic sender instead).' },
  SENDER_TYPE_NOT_ALLOWED: { status: null, meaning: 'Marketing with a sender ID whose type the destination country does not take, e.g. alphanumeric to the US (otp and notification fall back to the generic sender instead).' },

  // Delivery: routing, submission, receipts
  NO_ROUTE: { status: null, meaning: 'No enabled channel in the account\'s pool serves this number.' },
  CHANNEL_UNAVAILABLE: { status: null, meaning: 'Every channel tried was unreachable or kept failing transiently.' },
  UPSTREAM_REJECTED: { status: null, meaning: 'The upstream refused the submission for good; its code is in errorMessage and attempts[].' },
  DLR_UNDELIV: { status: null, meaning: 'Receipt: undeliverable.' },
  DLR_EXPIRED: { status: null, meaning: 'Receipt: validity period expired before delivery.' },
  DLR_DELETED: { status: null, meaning: 'Receipt: deleted by the carrier.' },
  DLR_REJECTD: { status: null, meaning: 'Receipt: rejected by the carrier.' },
  DLR_UNKNOWN: { status: null, meaning: 'Receipt: the carrier reports the state as unknown.' },
  DLR_OTHER: { status: null, meaning: 'Receipt with a stat the platform does not recognise (raw stat in `upstream`).' },
  DLR_FAILED: { status: null, meaning: 'One-report-per-message accounts: at least one part failed.' },
  CANCELLED: { status: null, meaning: 'The customer cancelled the scheduled message (DELETE /v1/messages/{id}).' },

  // WhatsApp (src/channels/whatsapp, src/http/routes/whatsapp*.routes.ts)
  WHATSAPP_NOT_OPTED_IN: { status: 403, meaning: 'The number has not opted in to WhatsApp messages from this account (PUT /v1/whatsapp/opt-ins/{number}), or withdrew.' },
  WHATSAPP_OUTSIDE_WINDOW: { status: 403, meaning: 'Free-form (text, interactive) WhatsApp messages need the user to have written within 24 h; send a template instead.' },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, meaning: 'The webhook\'s signature (WhatsApp: X-Hub-Signature-256; MaaP: X-Maap-Signature) is missing, too old, or does not match the raw body and the secret.' },
  WEBHOOK_VERIFICATION_INVALID: { status: 400, meaning: 'The verification request lacks hub.mode=subscribe or hub.challenge.' },
  WEBHOOK_VERIFY_TOKEN_MISMATCH: { status: 403, meaning: 'hub.verify_token is not WHATSAPP_VERIFY_TOKEN.' },
  WEBHOOK_PAYLOAD_INVALID: { status: 400, meaning: 'The signed webhook body is not a WhatsApp Business Account payload (or, on /webhooks/rcs, not a MaaP notification body).' },
  WHATSAPP_UNDELIVERABLE: { status: null, meaning: 'WhatsApp: undeliverable, usually not a WhatsApp user (Meta 131026).' },
  WHATSAPP_REENGAGEMENT_REQUIRED: { status: null, meaning: 'WhatsApp: free-form message outside the 24 h window (Meta 131047).' },
  WHATSAPP_FAILED: { status: null, meaning: 'WhatsApp: failed with another Meta code (in providerCode).' },
  WHATSAPP_REJECTED: { status: null, meaning: 'WhatsApp: the Cloud API refused the message for good (Meta code in providerCode).' },
  WHATSAPP_UNAVAILABLE: { status: null, meaning: 'WhatsApp: the Cloud API was unreachable, timed out, throttled (130429, 131056) or failed transiently.' },

  // 5G messages (src/channels/rcs, src/http/routes/rcs*.routes.ts)
  RCS_MENU_INVALID: { status: 400, meaning: 'The chatbot menu breaks a rule (≤ 2 levels, ≤ 3 top entries, ≤ 5 per submenu, labels 1–25 characters, valid buttons); `field` names the first entry at fault, `details` all of them.' },
  RCS_LIMIT_EXCEEDED: { status: 400, meaning: 'The 5G message breaks a limit (text ≤ 3,072; ≤ 11 suggestions, ≤ 4 per card, label ≤ 25, postback ≤ 2,048; title ≤ 200; description ≤ 2,000; carousel 2–10); `field` names it, e.g. card.cards.3.buttons.1.text.' },
  RCS_CARD_TYPE_MISMATCH: { status: 400, meaning: 'type card was given a carousel template, or type carousel another card type.' },
  RCS_CHATBOT_INVALID_TRANSITION: { status: 409, meaning: 'The chatbot\'s status does not allow this (edit, menu, delete and submit: draft or rejected; approve and reject: submitted).' },
  RCS_CHATBOT_NOT_APPROVED: { status: 409, meaning: 'The chatbot named is draft, submitted or rejected; only approved chatbots send.' },
  RCS_NO_CHATBOT: { status: 409, meaning: 'The account has no approved chatbot to send from or to ask capabilities through.' },
  RCS_CHATBOT_ADDRESS_TAKEN: { status: 409, meaning: 'Another chatbot already has the address given on approval.' },
  RCS_REJECTED: { status: null, meaning: '5G: the MaaP refused the message for good (its errorCode in errorMessage).' },
  RCS_UNAVAILABLE: { status: null, meaning: '5G: the MaaP was unreachable, timed out, throttled or failed transiently.' },
  RCS_DELIVERY_IMPOSSIBLE: { status: null, meaning: '5G: DeliveryImpossible — the terminal is not RCS-capable (status not_capable).' },
  DELIVERED_AS_SMS: { status: null, meaning: '5G: DeliveredToNetwork — the network delivered the smsFallback text as SMS (status delivered, deliveredAsSms true).' },
  RCS_NO_CONTENT: { status: null, meaning: '5G fallback step: the content has neither a card nor text (render refusal).' },
  // MMS / video SMS (src/channels/mms, src/http/routes/mms.routes.ts)
  MMS_INVALID: { status: 400, meaning: 'A slide rule is broken (no slides or more than the profile takes, a slide without text, a picture and a video on one slide, media not uploaded to the template…); `field` names it (`slides.2.text`), `details[]` lists {field, rule, code, message}.' },
  MMS_MEDIA_TYPE_NOT_ALLOWED: { status: 400, meaning: 'A medium is not a type the profile takes (judged by its bytes: jpg/png/gif pictures, H.264 MP4 video on cn-video-sms and intl-mms-300k only, mp3/amr audio), or cannot be decoded; `field` names it (`slides.1.video`).' },
  MMS_TOO_LARGE: { status: 400, meaning: 'The message cannot fit its profile: a video or audio over what the rest of the message leaves (they are not transcoded), texts over the limit, or a picture that cannot be fitted at a usable size; `field` names it and `details[].rule` is maxBytes.' },
  MMS_TEMPLATE_INVALID_TRANSITION: { status: 409, meaning: 'The MMS template\'s status does not allow this (edit, media upload and submit: draft or rejected; approve and reject: submitted).' },
  MMS_TEMPLATE_INCOMPLETE: { status: 400, meaning: 'A submission needs sampleVariables with a value for every {{variable}} of the subject and texts; `field` names the first one missing.' },
  MMS_TEMPLATE_NOT_APPROVED: { status: 409, meaning: 'The MMS template is draft, submitted or rejected; only approved templates send.' },
  MMS_GATEWAY_SIZE_EXCEEDED: { status: null, meaning: 'MMS: the carrier refused the message as over its size limit (gateway 1006); refunded.' },
  MMS_GATEWAY_NUMBER_REFUSED: { status: null, meaning: 'MMS: the carrier refused the number (invalid or blacklisted, gateway 1003); refunded.' },
  MMS_GATEWAY_REFUSED: { status: null, meaning: 'MMS: the gateway refused the message for another reason (its code in providerCode); refunded.' },
  MMS_GATEWAY_AUTH_FAILED: { status: null, meaning: 'MMS: the gateway refused the platform\'s credentials (MMS_GATEWAY_APP_KEY / _SECRET); refunded.' },
  MMS_GATEWAY_THROTTLED: { status: null, meaning: 'MMS: the gateway kept throttling (1009); refunded.' },
  MMS_GATEWAY_UNAVAILABLE: { status: null, meaning: 'MMS: the gateway could not be reached or failed transiently; refunded (an API send is not retried).' },
  MMS_UNDELIVERABLE: { status: null, meaning: 'MMS report UNDELIV: the handset or network refused it (MMS off, no data service); refunded as the charging mode says.' },
  MMS_EXPIRED: { status: null, meaning: 'MMS report EXPIRED: the handset did not fetch it in time; refunded as the charging mode says.' },
  MMS_REJECTED: { status: null, meaning: 'MMS report REJECTD: the carrier rejected it; refunded as the charging mode says.' },
  MMS_CONTENT_MISSING: { status: null, meaning: 'Fallback engine: the send has no `mms` content (templateId and variables) for the mms step.' },
  MMS_TEMPLATE_NOT_FOUND: { status: null, meaning: 'Fallback engine: the mms step names a template the account does not have (`field` mms.templateId).' },
  MMS_TEMPLATE_NOT_PREPARED: { status: null, meaning: 'Fallback engine: render() ran before prepare() loaded the MMS template in this process.' },
  // Fallback chains (src/fallback): request errors, then the codes a step moves on with
  CHANNEL_NOT_AVAILABLE: { status: 400, meaning: 'A chain names a channel this platform does not run; `field` channels.N.' },
  CONDITION_NOT_SUPPORTED: { status: 400, meaning: 'A chain step asks for a condition its channel cannot report (e.g. read on SMS); `field` channels.N.condition.' },
  NOT_CAPABLE: { status: null, meaning: 'Fallback step: the capability check says the terminal cannot show this channel (reason not_capable).' },
  TIMEOUT: { status: null, meaning: 'Fallback step: the condition was not reached within the step\'s timeout (reason timeout).' },
  NO_TEXT: { status: null, meaning: 'Fallback step: the content has neither a card nor a text for a text channel (reason not_renderable).' },
  SMART_SMS_NEEDS_CARD: { status: null, meaning: 'Fallback step: smart SMS sends card templates and the content has no card (reason not_renderable).' },
  SMART_SMS_NEEDS_PAGE: { status: null, meaning: 'Fallback step: the card has no H5 page link to hand to the parse platform (reason not_renderable).' },
  SMART_SMS_TEMPLATE_UNAVAILABLE: { status: null, meaning: 'Fallback step: the parse platform has not approved the card template (pending, rejected or unreachable); the next step takes over.' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes a message can carry as `errorCode` once accepted (status `failed`). */
export const MESSAGE_ERROR_CODES = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => ERROR_CODES[c].status === null);

/**
 * Internal upstream (ChannelError) codes. They never appear as `errorCode`, but show up inside
 * `errorMessage` and `attempts[].parts[].submitError` ("SMPP_TIMEOUT: …") and in logs.
 */
export const UPSTREAM_CODES: Readonly<Record<string, string>> = {
  SMPP_CONNECT_FAILED: 'TCP connect or bind did not complete.',
  SMPP_BIND_FAILED: 'The SMSC refused the bind.',
  SMPP_NOT_BOUND: 'No bound session to send on.',
  SMPP_CONNECTION_ERROR: 'A socket error on a bound connection; the connection is re-established (log only).',
  SMPP_DISCONNECTED: 'The connection dropped with the request in flight.',
  SMPP_TIMEOUT: 'No response within the response timeout.',
  SMPP_THROTTLED: 'The SMSC kept throttling after the bind\'s throttle retries.',
  SMPP_REJECTED: 'The SMSC refused submit_sm; command_status kept as providerCode.',
  SMPP_GENERIC_NACK: 'The SMSC answered generic_nack.',
  SMPP_INVALID_MESSAGE: 'The message could not be encoded for SMPP.',
  SMPP_EMPTY_MESSAGE_ID: 'submit_sm_resp carried no message id (log only).',
  SMPP_STOPPED: 'The channel is shutting down.',
  SMPP_LATE_RESPONSE: 'A response arrived after its request timed out (log only).',
  SMPP_UNEXPECTED_RESPONSE: 'A response matched no request (log only).',
  SMPP_UNSUPPORTED_COMMAND: 'Inbound PDU answered with generic_nack (log only).',
  SMPP_INBOUND_ERROR: 'An inbound PDU could not be handled (log only).',
  SMPP_HANDLER_ERROR: 'A receipt/MO handler threw (log only).',
  SMPP_UNHANDLED_DELIVER: 'deliver_sm of an unknown kind (log only).',
  SMPP_UNPARSEABLE_RECEIPT: 'A receipt without a message id (log only).',
  SMPP_MO_INCOMPLETE: 'A multi-part MO was emitted with parts missing (log only).',
  SMPP_ALERT_NOTIFICATION: 'alert_notification received (log only).',
  WHATSAPP_API_REJECTED: 'The Cloud API refused the request (4xx with a Meta code such as 131009, 100); not retryable.',
  WHATSAPP_API_AUTH_FAILED: 'The access token is invalid or lacks permission (Meta 190, 0, 10, 2xx); not retryable.',
  WHATSAPP_API_THROTTLED: 'Throughput (130429), pair rate (131056), spam (131048) or API rate limits; retryable later.',
  WHATSAPP_API_SERVER_ERROR: 'Meta 1, 2, 131000, 131016 or HTTP 5xx; retryable.',
  WHATSAPP_API_TIMEOUT: 'No answer within WHATSAPP_TIMEOUT_MS; the message may have gone out.',
  WHATSAPP_API_UNREACHABLE: 'The Cloud API could not be reached (connection refused, DNS).',
  WHATSAPP_API_BAD_RESPONSE: 'A 2xx answer without messages[0].id; not retried (it may have gone out).',
  MAAP_API_REJECTED: 'The MaaP refused the message (4xx, its errorCode such as InvalidDestination in providerCode); not retryable.',
  MAAP_API_AUTH_FAILED: 'The MaaP refused RCS_MAAP_TOKEN (401/403); not retryable.',
  MAAP_API_THROTTLED: 'The MaaP is rate-limiting (429); retryable later.',
  MAAP_API_SERVER_ERROR: 'The MaaP failed transiently (5xx); retryable.',
  MAAP_API_TIMEOUT: 'No answer within RCS_TIMEOUT_MS; the message may have gone out.',
  MAAP_API_UNREACHABLE: 'The MaaP could not be reached (connection refused, DNS).',
  SMART_SMS_API_REJECTED: 'The smart-SMS provider refused the request (InvalidParameter, InvalidMobile, DomainNotRegistered, TemplateNotFound…; code in providerCode); not retryable.',
  SMART_SMS_API_AUTH_FAILED: 'The smart-SMS provider refused the app key or the request signature (SMART_SMS_APP_KEY / SMART_SMS_APP_SECRET, clock skew); not retryable.',
  SMART_SMS_TEMPLATE_NOT_APPROVED: 'The smart-SMS template is pending or rejected at the provider; links are issued for approved templates only.',
  SMART_SMS_API_THROTTLED: 'The smart-SMS provider is rate-limiting (Throttled, HTTP 429); retryable later.',
  SMART_SMS_API_SERVER_ERROR: 'The smart-SMS provider failed transiently (InternalError, ServiceUnavailable, HTTP 5xx); retryable.',
  SMART_SMS_API_TIMEOUT: 'No answer within SMART_SMS_TIMEOUT_MS; retrying a link request with the same request key returns the same links.',
  SMART_SMS_API_UNREACHABLE: 'The smart-SMS provider could not be reached (connection refused, DNS).',
  SMART_SMS_API_BAD_RESPONSE: 'A smart-SMS answer without the expected data (e.g. fewer links than numbers); retryable.',
  SMART_SMS_INVALID_NUMBER: 'A recipient is not a mainland China mobile number, which smart SMS cannot reach; nothing was sent to the provider.',
};
