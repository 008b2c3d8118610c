/**
 * Field tables nested very deep, built as bytes without recursion: what a client may put in a
 * content header's `headers` (RabbitMQ delivers 15,000 levels, which fit in one 128 KiB frame).
 */

/**
 * The bytes (without the 32-bit length prefix) of a table holding one entry `d` that nests
 * `depth` levels of tables ('F') or arrays ('A'), alternating when `kind` is 'mixed'; the
 * innermost holds the long string 'bottom'. Each level costs 7 bytes in a table (name, tag,
 * length) and 5 in an array (tag, length).
 */
export function deeplyNestedTable(depth: number, kind: 'F' | 'A' | 'mixed'): Buffer {
  const tagAt = (level: number): 'F' | 'A' => (kind === 'mixed' ? (level % 2 === 0 ? 'F' : 'A') : kind);
  // level 0 is the entry of the outer table; a container's elements are named when it is a table
  const inner = Buffer.from('bottom');
  const leafSize = (inTable: boolean) => (inTable ? 2 : 0) + 1 + 4 + inner.length;
  // sizes from the inside out: size[i] = bytes of the value at level i including its prefix
  const sizes = new Array<number>(depth + 1);
  sizes[depth] = leafSize(depth === 0 || tagAt(depth - 1) === 'F');
  for (let i = depth - 1; i >= 0; i--) {
    const named = i === 0 || tagAt(i - 1) === 'F';
    sizes[i] = (named ? 2 : 0) + 1 + 4 + sizes[i + 1];
  }
  const out = Buffer.alloc(sizes[0]);
  let p = 0;
  for (let i = 0; i < depth; i++) {
    if (i === 0 || tagAt(i - 1) === 'F') {
      out[p++] = 1;
      out[p++] = i === 0 ? 0x64 /* d */ : 0x6e; /* n */
    }
    out[p++] = tagAt(i).charCodeAt(0);
    out.writeUInt32BE(sizes[i + 1], p);
    p += 4;
  }
  if (depth === 0 || tagAt(depth - 1) === 'F') {
    out[p++] = 1;
    out[p++] = 0x62; // b
  }
  out[p++] = 0x53; // S
  out.writeUInt32BE(inner.length, p);
  inner.copy(out, p + 4);
  return out;
}
