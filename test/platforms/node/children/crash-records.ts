/** Records of the crash test, shared by the child that writes them and the test that checks them. */
import { createHash } from 'node:crypto';

/** Records per batch. */
export const BATCH = 12;
/** Batch keys cycle through this many names, so each batch deletes some keys and adds others. */
export const BATCH_NAMES = BATCH + 3;

/** `fields` plus a checksum of them: a torn or mixed record fails {@link isSealed}. */
export function sealed(fields: Record<string, string | number>): Record<string, string | number> {
  return { ...fields, sum: checksum(fields) };
}

export function isSealed(record: unknown): boolean {
  if (typeof record !== 'object' || record === null) return false;
  const { sum, ...fields } = record as Record<string, string | number>;
  return sum === checksum(fields);
}

function checksum(fields: Record<string, string | number>): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
