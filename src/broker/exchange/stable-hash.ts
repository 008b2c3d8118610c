/**
 * A 32-bit hash that is the same in every process and on every machine (MurmurHash3 x86_32,
 * seed 0), for routing decisions that must survive a restart: the consistent-hash exchange sends
 * a key to the same queue before and after one. Node's own string hashing is seeded per process,
 * so it cannot serve here.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixTail(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  return h ^ k;
}

/** MurmurHash3's finaliser: every input bit affects every output bit (used to derive per-destination draws). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of a byte sequence (a header's value as it came on the wire). */
export function hashBytes(b: Uint8Array): number {
  let h = 0;
  const blocks = b.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(h, b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
  }
  const rest = b.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= b[blocks + 2] << 16;
    if (rest >= 2) k ^= b[blocks + 1] << 8;
    k ^= b[blocks];
    h = mixTail(h, k);
  }
  return fmix32(h ^ b.length);
}

/**
 * The hash of a string's UTF-16 code units, two to a block — the same as hashBytes of its
 * UTF-16LE encoding, without encoding it, so routing a message allocates nothing. A string and
 * its UTF-8 bytes hash differently, which does not matter as long as each input is always
 * hashed the same way.
 */
export function hashString(s: string): number {
  let h = 0;
  const n = s.length;
  const pairs = n & ~1;
  for (let i = 0; i < pairs; i += 2) h = mixBlock(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (n & 1) h = mixTail(h, s.charCodeAt(n - 1));
  return fmix32(h ^ (n * 2));
}
