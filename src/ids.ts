import { customAlphabet } from 'nanoid';

const random = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 7);
const SEQUENCE_SPAN = 36 ** 3;

let lastMillisecond = 0;
let sequence = 0;

/**
 * Ids that sort by creation time (base-36 milliseconds first), so "order by id" pages through
 * messages chronologically and the primary-key index stays append-mostly. Within one millisecond a
 * per-process sequence follows the time, so two ids made one after the other in this process always
 * sort in creation order ("newest first" listings would otherwise shuffle same-millisecond rows);
 * the random tail keeps ids from different processes apart.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now > lastMillisecond) {
    lastMillisecond = now;
    sequence = 0;
  } else if (++sequence === SEQUENCE_SPAN) {
    // 46,656 ids in one millisecond: borrow the next millisecond rather than wrap and lose the order.
    lastMillisecond += 1;
    sequence = 0;
  }
  return `${prefix}_${lastMillisecond.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(3, '0')}${random()}`;
}
