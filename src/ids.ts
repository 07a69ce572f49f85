import { customAlphabet } from 'nanoid';

const random = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);

/**
 * Ids that sort by creation time (base-36 milliseconds first), so "order by id" pages through
 * messages chronologically and the primary-key index stays append-mostly.
 */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${random()}`;
}
