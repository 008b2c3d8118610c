/**
 * Every method of the definition, with many seeded random argument sets each: encode, decode
 * (through decodeMethod and through the generated decoders alone), compare values, re-encode and
 * compare bytes.
 */
import { describe, expect, it } from 'vitest';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import { decodeMethod } from '../../src/codec/method-codec.js';
import { decodeMethodGenerated } from '../../src/codec/generated/method-decoders.js';
import { METHODS } from '../../src/codec/generated/protocol.js';
import { encode, randomArgs } from '../support/methods.js';
import { Random } from '../support/random.js';

const PER_METHOD = 150;

describe('every method round-trips', () => {
  it('covers the whole definition, RabbitMQ extensions included', () => {
    const names = METHODS.map((m) => m.name);
    expect(names).toHaveLength(64);
    for (const n of ['confirm.select', 'confirm.select-ok', 'exchange.bind', 'exchange.unbind-ok', 'basic.nack',
      'connection.blocked', 'connection.unblocked', 'connection.update-secret', 'connection.update-secret-ok']) {
      expect(names).toContain(n);
    }
  });

  for (const info of METHODS) {
    it(`${info.name} (${PER_METHOD} generated argument sets)`, () => {
      const r = new Random(info.id);
      for (let i = 0; i < PER_METHOD; i++) {
        const args = randomArgs(info, r);
        const bytes = encode(info.id, args);
        for (const decode of [decodeMethod, decodeMethodGenerated]) {
          const decoded = decode(bytes);
          if (decoded instanceof DecodeFailure) throw new Error(`${info.name}: ${decoded.replyText}`);
          expect(decoded.id).toBe(info.id);
          expect(decoded.args).toEqual(args);
          expect(encode(info.id, decoded.args as Record<string, unknown>).equals(bytes)).toBe(true);
        }
      }
    });
  }
});

describe('bit packing', () => {
  it('packs consecutive bits LSB-first into one octet', () => {
    const bytes = encode(0x0032000a, {
      queue: 'q', passive: true, durable: false, exclusive: true, autoDelete: false, noWait: true,
    });
    // id(4) reserved(2) 'q'(2) bits(1) table-length(4)
    expect(bytes[8]).toBe(0b10101);
    expect(bytes.length).toBe(13);
  });
});
