import 'server-only';
import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import type { TokenCreateInput } from '@/lib/schemas';

/**
 * What a chunk's dry run previewed, as one value: SHA-256 (hex) of its rows, in order, as
 * validated (zod's output, so defaults are filled in), serialised as JSON with every object's keys
 * sorted. A submission or narrowing must produce the same digest, or it is not what was previewed.
 * The rows include token values: only this digest of them is stored.
 */
export function chunkDigest(tokens: readonly TokenCreateInput[]): string {
  return createHash('sha256').update(stableStringify(tokens)).digest('hex');
}
