/**
 * Reassembles concatenated submit_sm parts (UDH or SAR) into one message. Every part is answered at
 * once (an ESME with a window of 1 waits for each resp before sending the next part), with an id
 * derived from a message id reserved at the first part; the whole message enters the pipeline when
 * the last part arrives. Parts of an unfinished message are held in memory only: after
 * `timeoutMs` the parts that did arrive are sent as one message (see README, known gaps).
 */
import type { ConcatInfo } from '../channels/smpp/udh-codec.js';
import type { DecodedSubmit } from './submit-decoder.js';

interface Group<O> {
  owner: O;
  messageId: string;
  total: number;
  texts: (string | undefined)[];
  receipts: number[];
  received: number;
  first: DecodedSubmit;
  timer: NodeJS.Timeout;
}

export type AssembleResult =
  /** More parts to come. */
  | { kind: 'part'; messageId: string }
  /** This part completed the message. */
  | { kind: 'complete'; messageId: string; submit: DecodedSubmit; parts: number; partReceipts: number[] }
  /** The same part number arrived twice: answered again, not stored again. */
  | { kind: 'duplicate'; messageId: string };

/** A message whose parts stopped arriving; `missing` lists the part numbers never received. */
export interface ExpiredMessage<O> {
  owner: O;
  messageId: string;
  submit: DecodedSubmit;
  parts: number;
  /** registered_delivery per part (0 for the missing ones). */
  partReceipts: number[];
  missing: number[];
}

/** `O`: whoever sent the parts (the bound customer), handed back with an expired message. */
export class SubmitAssembler<O> {
  private readonly groups = new Map<string, Group<O>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly newMessageId: () => string,
    private readonly onExpired: (m: ExpiredMessage<O>) => void,
  ) {}

  /** `scope` separates binds' reference spaces (the system_id). */
  add(scope: string, owner: O, submit: DecodedSubmit, concat: ConcatInfo): AssembleResult {
    const key = `${scope}\u0000${submit.from}\u0000${submit.to}\u0000${concat.ref}\u0000${concat.total}`;
    let g = this.groups.get(key);
    if (!g) {
      g = {
        owner, messageId: this.newMessageId(), total: concat.total, texts: Array.from({ length: concat.total }, () => undefined), receipts: new Array(concat.total).fill(0), received: 0, first: submit,
        timer: setTimeout(() => this.expire(key), this.timeoutMs),
      };
      g.timer.unref();
      this.groups.set(key, g);
    }
    if (g.texts[concat.seq - 1] !== undefined) return { kind: 'duplicate', messageId: g.messageId };
    g.texts[concat.seq - 1] = submit.text;
    // ESMEs often ask for a receipt on the first part only (Kannel does): answer what each part asked.
    g.receipts[concat.seq - 1] = submit.receipts;
    g.received++;
    if (g.received < g.total) return { kind: 'part', messageId: g.messageId };
    clearTimeout(g.timer);
    this.groups.delete(key);
    return { kind: 'complete', messageId: g.messageId, submit: { ...g.first, text: g.texts.join('') }, parts: g.total, partReceipts: g.receipts };
  }

  /** Parts held right now (for stop and for tests). */
  get pending(): number {
    return this.groups.size;
  }

  /** Sends every unfinished message as it stands (on shutdown). */
  flush(): void {
    for (const key of [...this.groups.keys()]) this.expire(key);
  }

  private expire(key: string): void {
    const g = this.groups.get(key);
    if (!g) return;
    clearTimeout(g.timer);
    this.groups.delete(key);
    const missing = g.texts.flatMap((t, i) => (t === undefined ? [i + 1] : []));
    this.onExpired({ owner: g.owner, messageId: g.messageId, submit: { ...g.first, text: g.texts.filter((t) => t !== undefined).join('') }, parts: g.total, partReceipts: g.receipts, missing });
  }
}
