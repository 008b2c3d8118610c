/**
 * Reading records back from segment files for delivery. Consumers mostly read in order, so a
 * read pulls a whole block (256 KiB) and later reads are served from it. A few blocks are kept
 * (least recently used goes first), which bounds the memory: a record larger than a block is
 * read into a buffer of its own and handed out, never kept (sixteen 100 MB messages would
 * otherwise stay here as "blocks").
 *
 * Bytes read back are checked: a length that runs past the segment's end or a CRC that does not
 * match is an error (thrown, like an I/O error; the queue storage above decides what to do), so
 * a damaged record is never delivered as if it were a message.
 */
import { RECORD_PREFIX, parseAt, payloadCrcOk, type StoredRecord } from './record-format.js';
import type { StoreFs } from './store-fs.js';

export const READ_BLOCK = 256 * 1024;
const MAX_BLOCKS = 16;

interface Block {
  readonly segment: number;
  readonly start: number;
  readonly data: Buffer;
}

export class ReadCache {
  /** Most recently used last. */
  private blocks: Block[] = [];

  constructor(private readonly io: StoreFs) {}

  /** The record at `offset` of segment `segment` (open as `fd`, `end` bytes long). */
  read(segment: number, fd: number, offset: number, end: number): StoredRecord {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i];
      if (b.segment !== segment || offset < b.start || offset + 4 > b.start + b.data.length) continue;
      const at = offset - b.start;
      const length = b.data.readUInt32BE(at);
      if (at + 4 + length > b.data.length) continue;
      if (length + 4 < RECORD_PREFIX || !payloadCrcOk(b.data, at, length)) {
        // loaded while this part was being written? read it again from the file
        this.blocks.splice(i, 1);
        break;
      }
      if (i !== this.blocks.length - 1) this.blocks.push(...this.blocks.splice(i, 1));
      return parseAt(b.data, at);
    }
    const block = this.load(fd, offset, Math.min(READ_BLOCK, end - offset));
    if (block.length < RECORD_PREFIX) throw new Error(`record at ${segment}:${offset} is past the end of its segment`);
    const need = 4 + block.readUInt32BE(0);
    if (need < RECORD_PREFIX || offset + need > end) {
      throw new Error(`record at ${segment}:${offset} has a length (${need - 4}) that does not fit its segment`);
    }
    if (need > block.length) {
      // larger than a block: its own buffer, not cached
      const data = Buffer.allocUnsafe(need);
      block.copy(data, 0);
      const rest = this.load(fd, offset + block.length, need - block.length);
      rest.copy(data, block.length);
      if (block.length + rest.length < need) throw new Error(`record at ${segment}:${offset} is cut short`);
      return checked(data, segment, offset);
    }
    const record = checked(block, segment, offset);
    this.blocks.push({ segment, start: offset, data: block });
    if (this.blocks.length > MAX_BLOCKS) this.blocks.shift();
    return record;
  }

  forget(segment: number): void {
    this.blocks = this.blocks.filter((b) => b.segment !== segment);
  }

  /** Bytes held in cached blocks (for tests and stats). */
  get cachedBytes(): number {
    let n = 0;
    for (const b of this.blocks) n += b.data.buffer.byteLength; // what the block keeps alive
    return n;
  }

  private load(fd: number, offset: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(0, length));
    let got = 0;
    while (got < length) {
      const n = this.io.readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  }
}

/** The record at the start of `data`, once its CRC is checked. */
function checked(data: Buffer, segment: number, offset: number): StoredRecord {
  const length = data.readUInt32BE(0);
  if (!payloadCrcOk(data, 0, length)) throw new Error(`record at ${segment}:${offset} does not match its CRC`);
  return parseAt(data, 0);
}
