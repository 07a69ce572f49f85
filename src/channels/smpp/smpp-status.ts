/**
 * What to do with a non-zero SMPP command_status. The table is small on purpose: statuses that
 * are known to be transient are retryable, throttling statuses are retried on the same bind after
 * a pause, and everything else fails the message with the provider's code attached.
 */
import { ChannelError } from '../channel-adapter.js';
import { SmppStatus, smppErrorCodes } from './smpp-types.js';

/** `throttle`: wait and resend on this bind; `retry`: fail, retryable elsewhere/later; `fail`: final. */
export type StatusPolicy = 'throttle' | 'retry' | 'fail';

const DEFAULT_POLICY: ReadonlyMap<number, StatusPolicy> = new Map<number, StatusPolicy>([
  [SmppStatus.ESME_RTHROTTLED, 'throttle'],
  [SmppStatus.ESME_RMSGQFUL, 'throttle'],
  [SmppStatus.ESME_RSYSERR, 'retry'],
  [SmppStatus.ESME_RINVBNDSTS, 'retry'], // the SMSC lost our bind state; a rebind fixes it
  [0x64, 'retry'], // ESME_RX_T_APPN: temporary application error
  [0xfe, 'retry'], // ESME_RDELIVERYFAILURE
  [0xff, 'retry'], // ESME_RUNKNOWNERR: unknown is not proof the message is bad
]);

const NAMES = new Map<number, string>(Object.entries(smppErrorCodes).map(([name, code]) => [code, name]));

/** Policy for `status`; `overrides` lets a connection declare vendor-specific codes (0x400–0x4FF). */
export function statusPolicy(status: number, overrides?: Readonly<Record<number, StatusPolicy>>): StatusPolicy {
  return overrides?.[status] ?? DEFAULT_POLICY.get(status) ?? 'fail';
}

/** `ESME_RTHROTTLED (0x58)` style label for messages. */
export function describeStatus(status: number): string {
  const hex = `0x${status.toString(16).padStart(2, '0')}`;
  const name = NAMES.get(status);
  return name ? `${name} (${hex})` : hex;
}

/** The ChannelError for a refused request; `providerCode` is the numeric command_status. */
export function errorForStatus(
  code: string,
  command: string,
  status: number,
  overrides?: Readonly<Record<number, StatusPolicy>>,
): ChannelError {
  const policy = statusPolicy(status, overrides);
  return new ChannelError(code, `${command} refused with ${describeStatus(status)}`, policy !== 'fail', status);
}
