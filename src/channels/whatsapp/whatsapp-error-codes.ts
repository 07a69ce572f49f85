/**
 * The platform's message-level error codes of a failed WhatsApp message (its `errorCode`); Meta's
 * own code is kept beside it as `providerCode`. Listed in src/http/openapi/error-codes.ts.
 */
import type { ChannelError } from '../channel-adapter.js';
import { CloudErrorCode } from './cloud-api-types.js';

/** A `failed` status webhook, by Meta's error code. */
export function failureCode(providerCode: number | undefined): string {
  switch (providerCode) {
    case CloudErrorCode.UNDELIVERABLE: return 'WHATSAPP_UNDELIVERABLE';
    case CloudErrorCode.REENGAGEMENT_REQUIRED: return 'WHATSAPP_REENGAGEMENT_REQUIRED';
    default: return 'WHATSAPP_FAILED';
  }
}

/** The API refused or could not be reached when sending. */
export function sendErrorCode(err: ChannelError): string {
  return err.retryable ? 'WHATSAPP_UNAVAILABLE' : 'WHATSAPP_REJECTED';
}
