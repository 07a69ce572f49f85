/**
 * A customer's submit_sm into the same accept pipeline as POST /v1/messages: the same content
 * rules, policy, billing and routing. Submits from every bind share the coalescer, so at high rates
 * many submits are stored by one statement and the submit_sm_resp goes out once they are stored.
 */
import type { Account } from '../accounts/account.js';
import type { SignatureRepository } from '../accounts/signature.repository.js';
import type { KeywordMatcher } from '../content/keywords.js';
import { SmppStatus } from '../channels/smpp/smpp-types.js';
import { AppError } from '../http/app-error.js';
import { AcceptCoalescer } from '../messages/accept-coalescer.js';
import type { AcceptDeps } from '../messages/accept-messages.js';
import { classifySender } from '../senders/sender-type.js';
import type { SmppCredentials } from './smpp-credentials.repository.js';
import { formatSmppAddress } from './smpp-report-address.js';
import { MAX_TEXT_LENGTH } from '../messages/message.js';
import type { DecodedSubmit } from './submit-decoder.js';

export interface SmppIngestDeps extends AcceptDeps {
  signatures: SignatureRepository;
  keywords: KeywordMatcher;
}

/** A bound customer: whose account a submit is charged to and which credentials it used. */
export interface BoundCustomer {
  account: Account;
  credentials: SmppCredentials;
}

/** What the submit_sm_resp says. */
export interface IngestOutcome {
  status: number;
  messageId?: string;
  /** Why it was refused, for the log (the ESME sees only the status). */
  reason?: string;
}

/** Input errors of the accept pipeline → the command_status an ESME understands. */
const STATUS_FOR_CODE: Readonly<Record<string, number>> = {
  INVALID_NUMBER: SmppStatus.ESME_RINVDSTADR,
  TEXT_EMPTY: SmppStatus.ESME_RINVMSGLEN,
};

export class SmppIngest {
  private readonly coalescer: AcceptCoalescer;

  constructor(private readonly deps: SmppIngestDeps) {
    // Two rounds in flight: an ESME's window (typically 100) is all that can be waiting, so while
    // one round is in PostgreSQL the next one gathers; measured ~10–20 % above one round.
    this.coalescer = new AcceptCoalescer(deps, 2);
  }

  /**
   * Stores one message (a whole submit_sm, or a reassembled long message) under `messageId`.
   * @param partReceipts registered_delivery of each submit_sm the ESME sent for it
   */
  async submit(customer: BoundCustomer, submit: DecodedSubmit, messageId: string, partReceipts: number[] = [submit.receipts]): Promise<IngestOutcome> {
    const { account, credentials } = customer;
    const category = submit.category ?? credentials.defaultCategory;
    if (!account.categories.includes(category)) {
      return { status: SmppStatus.ESME_RSUBMITFAIL, reason: `account may not send ${category} messages` };
    }
    if (submit.from && !submit.to.startsWith('+86')) {
      const sender = classifySender(submit.from);
      if (!sender.ok) return { status: SmppStatus.ESME_RINVSRCADR, reason: `source_addr: ${sender.message}` };
    }
    if (submit.text.length > MAX_TEXT_LENGTH) {
      return { status: SmppStatus.ESME_RINVMSGLEN, reason: `message is ${submit.text.length} characters; at most ${MAX_TEXT_LENGTH}` };
    }
    try {
      const text = submit.text;
      const result = await this.coalescer.accept({
        account, category,
        recipients: [{ to: submit.to, id: messageId }],
        content: { render: () => text, signatures: await this.deps.signatures.approvedNames(account.id), keywords: this.deps.keywords },
        templateId: null, scheduledAt: submit.scheduledAt, batch: false,
        // International destinations: the ESME's source_addr is the requested sender ID, checked
        // against the country's rules like an HTTP `senderId` (domestic traffic ignores it).
        senderId: submit.from || undefined,
        callbackUrl: formatSmppAddress({ systemId: credentials.systemId, parts: partReceipts.length, receipts: partReceipts, source: submit.from }),
      });
      const bad = result.rejected[0];
      if (bad) return { status: STATUS_FOR_CODE[bad.code] ?? SmppStatus.ESME_RSUBMITFAIL, reason: `${bad.code}: ${bad.message}` };
      // Refused by a rule (blacklist, keyword, cap…): stored as failed and reported by receipt.
      return { status: SmppStatus.ESME_ROK, messageId: result.messages[0].id };
    } catch (err) {
      if (err instanceof AppError) return { status: SmppStatus.ESME_RSUBMITFAIL, reason: `${err.code}: ${err.message}` };
      this.deps.logger?.error('SMPP submit could not be stored', { accountId: account.id, err });
      return { status: SmppStatus.ESME_RSYSERR, reason: 'internal error' };
    }
  }
}
