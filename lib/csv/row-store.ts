import type { TokenCreateInput } from '@/lib/schemas';
import { RowCodec } from './row-codec';

/**
 * The valid rows of a checked file, packed for a million rows: rows encoded by `RowCodec` (about
 * 40 characters each) are joined into blocks of 1024 per string, with offsets, lines and flags
 * in typed arrays. One V8 string per row would cost more in overhead than its content.
 */
const BLOCK = 1024;
/** Encoded rows never contain a newline (printable ASCII and tabs): safe as the separator. */
const SEPARATOR = '\n';

function grow<T extends Int32Array | Uint8Array>(array: T, needed: number, make: (size: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export class RowStore {
  readonly codec = new RowCodec();
  private blocks: string[] = [];
  /** Start offset of each row within its block; the block's rows are in order. */
  private starts = new Int32Array(1024);
  private lineOf = new Int32Array(1024);
  private needsOf = new Uint8Array(1024);
  private open: string[] = [];
  private openLength = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(body: string, line: number, needs: number): number {
    const index = this.count++;
    this.starts = grow(this.starts, this.count, (n) => new Int32Array(n));
    this.lineOf = grow(this.lineOf, this.count, (n) => new Int32Array(n));
    this.needsOf = grow(this.needsOf, this.count, (n) => new Uint8Array(n));
    this.starts[index] = this.openLength;
    this.lineOf[index] = line;
    this.needsOf[index] = needs;
    this.open.push(body);
    this.openLength += body.length + SEPARATOR.length;
    if (this.open.length === BLOCK) this.seal();
    return index;
  }

  private seal() {
    if (this.open.length === 0) return;
    this.blocks.push(this.open.join(SEPARATOR));
    this.open = [];
    this.openLength = 0;
  }

  /** The token create request of row `index`. */
  row(index: number): TokenCreateInput {
    return this.codec.decode(this.body(index));
  }

  /** The encoded row (equal bodies = equal rows). */
  body(index: number): string {
    if (index < 0 || index >= this.count) throw new RangeError(`no row ${index}`);
    const block = Math.floor(index / BLOCK);
    if (block === this.blocks.length) return this.open[index % BLOCK]!;
    const text = this.blocks[block]!;
    const start = this.starts[index]!;
    const end =
      index % BLOCK === BLOCK - 1 || index === this.count - 1
        ? text.length
        : this.starts[index + 1]! - SEPARATOR.length;
    return text.slice(start, end);
  }

  line(index: number): number {
    return this.lineOf[index]!;
  }

  needs(index: number): number {
    return this.needsOf[index]!;
  }

  /** Lines of every row, for the page (to name lines in Authlete's errors). */
  lines(): Int32Array {
    return this.lineOf.slice(0, this.count);
  }
}
