/**
 * Reading records back from segment files for delivery. Consumers mostly read in order, so a
 * read pulls a whole block (256 KiB, or the record if larger) and later reads are served from
 * it. A few blocks are kept (least recently used goes first), which bounds the memory.
 */
import { parseAt, type StoredRecord } from './record-format.js';
import type { StoreFs } from './store-fs.js';

const BLOCK = 256 * 1024;
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

  read(segment: number, fd: number, offset: number): StoredRecord {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i];
      if (b.segment !== segment || offset < b.start || offset + 4 > b.start + b.data.length) continue;
      const at = offset - b.start;
      if (at + 4 + b.data.readUInt32BE(at) <= b.data.length) {
        if (i !== this.blocks.length - 1) this.blocks.push(...this.blocks.splice(i, 1));
        return parseAt(b.data, at);
      }
    }
    let data = this.load(fd, offset, BLOCK);
    if (data.length < 4) throw new Error(`record at ${segment}:${offset} is past the end of its segment`);
    const need = 4 + data.readUInt32BE(0);
    if (need > data.length) data = this.load(fd, offset, need);
    this.blocks.push({ segment, start: offset, data });
    if (this.blocks.length > MAX_BLOCKS) this.blocks.shift();
    return parseAt(data, 0);
  }

  forget(segment: number): void {
    this.blocks = this.blocks.filter((b) => b.segment !== segment);
  }

  private load(fd: number, offset: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = this.io.readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  }
}
