/** Seeded random arguments for any method, and encoding by id, for codec tests. */
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { encodeMethod } from '../../src/codec/generated/method-encoders.js';
import type { MethodInitById } from '../../src/codec/generated/method-types.js';
import type { MethodInfo } from '../../src/codec/generated/protocol.js';
import { randomTable } from './field-values.js';
import type { Random } from './random.js';

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function randomArgs(info: MethodInfo, r: Random): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const f of info.fields) {
    const key = camel(f.name);
    switch (f.type) {
      case 'octet': args[key] = r.int(256); break;
      case 'short': args[key] = r.int(65536); break;
      case 'long': args[key] = r.range(0, 0xffff_ffff); break;
      case 'longlong':
      case 'timestamp': args[key] = r.pick([0, 1, r.range(0, 0xffff_ffff), Math.floor(r.next() * Number.MAX_SAFE_INTEGER)]); break;
      case 'shortstr': args[key] = r.shortString(); break;
      case 'longstr': args[key] = r.bytes(r.int(300)); break;
      case 'bit': args[key] = r.bool(); break;
      case 'table': args[key] = randomTable(r, 2); break;
    }
  }
  return args;
}

export function encode(id: number, args: Record<string, unknown>): Buffer {
  const w = new ByteWriter(64);
  encodeMethod(w, id as keyof MethodInitById, args as never);
  return Buffer.from(w.take());
}

