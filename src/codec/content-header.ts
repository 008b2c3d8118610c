/**
 * A content header frame kept as the bytes received. Messages are stored and forwarded with
 * these bytes verbatim. On arrival one walk checks every length (nothing is decoded); after that
 * a property is decoded only when the broker asks for it (routing on headers, TTL, priority,
 * persistence…), each on its own, by skipping the properties before it.
 *
 * Layout: class-id u16, weight u16, body-size u64, property flags u16, the present properties.
 */
import { ByteWriter } from './byte-writer.js';
import { DecodeFailure } from './decode-failure.js';
import {
  checkBasicProperties, findBasicProperty, PROPERTY_INDEX, readBasicProperty, writeBasicProperties,
  type BasicProperties,
} from './generated/basic-properties.js';
import { FRAME_ERROR } from './generated/protocol.js';
import type { FieldTable } from './field-table.js';

/** Bytes before the property flags. */
export const CONTENT_HEADER_PREFIX = 12;

type PropertyName = keyof BasicProperties;

export class ContentHeader {
  private decoded: BasicProperties | null = null;

  private constructor(readonly raw: Buffer) {}

  /**
   * Wraps a received header payload after checking its fixed part and property structure.
   * The header tables' contents are walked but not decoded.
   */
  static fromPayload(payload: Buffer): ContentHeader | DecodeFailure {
    if (payload.length < CONTENT_HEADER_PREFIX + 2) {
      return new DecodeFailure(FRAME_ERROR, `content header of ${payload.length} bytes is too short`);
    }
    const bad = checkBasicProperties(payload, CONTENT_HEADER_PREFIX, payload.length);
    if (bad !== null) return new DecodeFailure(FRAME_ERROR, `cannot decode content header: ${bad}`);
    return new ContentHeader(payload);
  }

  /**
   * Wraps a header the broker derived from a well-formed one (header-edit.ts): it is well formed
   * too, so a failure here is a bug, thrown as one.
   */
  static edited(raw: Buffer): ContentHeader {
    const h = ContentHeader.fromPayload(raw);
    if (h instanceof DecodeFailure) throw new Error(`a header edit made an invalid header: ${h.detail}`);
    return h;
  }

  /** Builds a header from properties (for messages the broker makes itself). */
  static build(classId: number, bodySize: number, props: BasicProperties): ContentHeader {
    const w = new ByteWriter(128);
    w.u16(classId);
    w.u16(0);
    w.u64(bodySize);
    writeBasicProperties(w, props);
    const h = ContentHeader.fromPayload(Buffer.from(w.take()));
    if (h instanceof DecodeFailure) throw new Error(`built an invalid header: ${h.detail}`);
    return h;
  }

  get classId(): number {
    return this.raw.readUInt16BE(0);
  }

  get weight(): number {
    return this.raw.readUInt16BE(2);
  }

  get bodySize(): number {
    return this.raw.readUInt32BE(4) * 0x1_0000_0000 + this.raw.readUInt32BE(8);
  }

  get propertyFlags(): number {
    return this.raw.readUInt16BE(CONTENT_HEADER_PREFIX);
  }

  /** One property, decoded on its own. */
  get<K extends PropertyName>(name: K): BasicProperties[K] {
    if (this.decoded) return this.decoded[name];
    const index = PROPERTY_INDEX[name];
    const at = findBasicProperty(this.raw, CONTENT_HEADER_PREFIX, index);
    return at < 0 ? undefined : (readBasicProperty(this.raw, index, at) as BasicProperties[K]);
  }

  /** True when the property is present, without decoding it. */
  has(name: PropertyName): boolean {
    return (this.propertyFlags & (0x8000 >> PROPERTY_INDEX[name])) !== 0;
  }

  get deliveryMode(): number | undefined {
    return this.get('deliveryMode');
  }

  get persistent(): boolean {
    return this.get('deliveryMode') === 2;
  }

  get priority(): number | undefined {
    return this.get('priority');
  }

  get expiration(): string | undefined {
    return this.get('expiration');
  }

  get headers(): FieldTable | undefined {
    return this.get('headers');
  }

  /** Every property, decoded once and cached. */
  get properties(): BasicProperties {
    if (this.decoded) return this.decoded;
    const out: BasicProperties = {};
    for (const name of Object.keys(PROPERTY_INDEX) as PropertyName[]) {
      const v = this.get(name);
      if (v !== undefined) (out as Record<string, unknown>)[name] = v;
    }
    this.decoded = out;
    return out;
  }
}
