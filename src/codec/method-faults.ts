/**
 * Turning a method payload that does not decode into a DecodeFailure that names the method and
 * the field at fault. Only runs on the error path: the decoders stay lean and this walks the
 * field list of the method's definition afterwards to find where the bytes gave out.
 *
 * Codes follow RabbitMQ: arguments that do not fit their method are FRAME_ERROR (RabbitMQ says
 * "cannot decode <<bytes>>"; we name method and field instead), malformed UTF-8 in a short string
 * is FRAME_ERROR "Malformed UTF-8 in shortstr". An unknown class/method id makes RabbitMQ 3.10 drop
 * the TCP connection without a word; Warren answers COMMAND_INVALID, RabbitMQ's code for a
 * method it does not handle ("unimplemented method").
 */
import { DecodeFailure } from './decode-failure.js';
import type { TableFailure } from './field-table.js';
import { COMMAND_INVALID, FRAME_ERROR, METHOD_INFO, type MethodInfo } from './generated/protocol.js';

export const EMPTY_ARGS: Record<string, never> = Object.freeze({}) as Record<string, never>;

const FIXED: Record<string, number> = { octet: 1, short: 2, long: 4, longlong: 8, timestamp: 8 };

export function argumentFailure(id: number, payload: Buffer): DecodeFailure {
  const info = METHOD_INFO.get(id);
  if (!info) return unknownMethod(id);
  const { field, detail } = locate(info, payload);
  return new DecodeFailure(FRAME_ERROR, `cannot decode ${info.name}: ${detail}`,
    info.classId, info.methodId, info.name, field);
}

/** Walks the fields with bounds checks; reports the first that runs past the end, or trailing bytes. */
function locate(info: MethodInfo, payload: Buffer): { field: string | null; detail: string } {
  let p = 4;
  let bitsInOctet = 8;
  for (const f of info.fields) {
    let size: number;
    if (f.type === 'bit') {
      if (bitsInOctet < 8) {
        bitsInOctet++;
        continue;
      }
      bitsInOctet = 1;
      size = 1;
    } else {
      bitsInOctet = 8;
      if (f.type in FIXED) size = FIXED[f.type];
      else {
        const prefix = f.type === 'shortstr' ? 1 : 4;
        if (p + prefix > payload.length) return pastEnd(f.name);
        size = prefix + (prefix === 1 ? payload[p] : payload.readUInt32BE(p));
      }
    }
    if (p + size > payload.length) return pastEnd(f.name);
    p += size;
  }
  const extra = payload.length - p;
  return { field: null, detail: `${extra} unexpected byte${extra === 1 ? '' : 's'} after the last field` };
}

function pastEnd(field: string): { field: string; detail: string } {
  return { field, detail: `field '${field}' runs past the end of the frame` };
}

export function tableFailure(id: number, field: string, failure: TableFailure): DecodeFailure {
  const info = METHOD_INFO.get(id) as MethodInfo;
  return new DecodeFailure(FRAME_ERROR, `cannot decode ${info.name}: field '${field}': ${failure.detail}`,
    info.classId, info.methodId, info.name, field);
}

export function utf8Failure(id: number, field: string): DecodeFailure {
  const info = METHOD_INFO.get(id) as MethodInfo;
  return new DecodeFailure(FRAME_ERROR, 'Malformed UTF-8 in shortstr',
    info.classId, info.methodId, info.name, field);
}

export function unknownMethod(id: number): DecodeFailure {
  const classId = id >>> 16;
  const methodId = id & 0xffff;
  return new DecodeFailure(COMMAND_INVALID, `unknown method: class ${classId}, method ${methodId}`,
    classId, methodId);
}
