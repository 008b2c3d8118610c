// generated — do not edit. Source: protocol/amqp-0-9-1.json, by protocol/generate.mjs
// (npm run gen:protocol).

import { isUtf8 } from 'node:buffer';
import { Parser } from 'binary-parser';
import { decodeTable, TableFailure, type FieldTable } from '../field-table.js';
import { DecodeFailure } from '../decode-failure.js';
import { argumentFailure, tableFailure, utf8Failure, unknownMethod, EMPTY_ARGS } from '../method-faults.js';
import { CONNECTION_START, CONNECTION_START_OK, CONNECTION_SECURE, CONNECTION_SECURE_OK, CONNECTION_TUNE, CONNECTION_TUNE_OK, CONNECTION_OPEN, CONNECTION_OPEN_OK, CONNECTION_CLOSE, CONNECTION_CLOSE_OK, CONNECTION_BLOCKED, CONNECTION_UNBLOCKED, CONNECTION_UPDATE_SECRET, CONNECTION_UPDATE_SECRET_OK, CHANNEL_OPEN, CHANNEL_OPEN_OK, CHANNEL_FLOW, CHANNEL_FLOW_OK, CHANNEL_CLOSE, CHANNEL_CLOSE_OK, EXCHANGE_DECLARE, EXCHANGE_DECLARE_OK, EXCHANGE_DELETE, EXCHANGE_DELETE_OK, EXCHANGE_BIND, EXCHANGE_BIND_OK, EXCHANGE_UNBIND, EXCHANGE_UNBIND_OK, QUEUE_DECLARE, QUEUE_DECLARE_OK, QUEUE_BIND, QUEUE_BIND_OK, QUEUE_UNBIND, QUEUE_UNBIND_OK, QUEUE_PURGE, QUEUE_PURGE_OK, QUEUE_DELETE, QUEUE_DELETE_OK, BASIC_QOS, BASIC_QOS_OK, BASIC_CONSUME, BASIC_CONSUME_OK, BASIC_CANCEL, BASIC_CANCEL_OK, BASIC_PUBLISH, BASIC_RETURN, BASIC_DELIVER, BASIC_GET, BASIC_GET_OK, BASIC_GET_EMPTY, BASIC_ACK, BASIC_REJECT, BASIC_RECOVER_ASYNC, BASIC_RECOVER, BASIC_RECOVER_OK, BASIC_NACK, TX_SELECT, TX_SELECT_OK, TX_COMMIT, TX_COMMIT_OK, TX_ROLLBACK, TX_ROLLBACK_OK, CONFIRM_SELECT, CONFIRM_SELECT_OK } from './protocol.js';
import type { Method, ConnectionStartArgs, ConnectionStartOkArgs, ConnectionSecureArgs, ConnectionSecureOkArgs, ConnectionTuneArgs, ConnectionTuneOkArgs, ConnectionOpenArgs, ConnectionOpenOkArgs, ConnectionCloseArgs, ConnectionCloseOkArgs, ConnectionBlockedArgs, ConnectionUnblockedArgs, ConnectionUpdateSecretArgs, ConnectionUpdateSecretOkArgs, ChannelOpenArgs, ChannelOpenOkArgs, ChannelFlowArgs, ChannelFlowOkArgs, ChannelCloseArgs, ChannelCloseOkArgs, ExchangeDeclareArgs, ExchangeDeclareOkArgs, ExchangeDeleteArgs, ExchangeDeleteOkArgs, ExchangeBindArgs, ExchangeBindOkArgs, ExchangeUnbindArgs, ExchangeUnbindOkArgs, QueueDeclareArgs, QueueDeclareOkArgs, QueueBindArgs, QueueBindOkArgs, QueueUnbindArgs, QueueUnbindOkArgs, QueuePurgeArgs, QueuePurgeOkArgs, QueueDeleteArgs, QueueDeleteOkArgs, BasicQosArgs, BasicQosOkArgs, BasicConsumeArgs, BasicConsumeOkArgs, BasicCancelArgs, BasicCancelOkArgs, BasicPublishArgs, BasicReturnArgs, BasicDeliverArgs, BasicGetArgs, BasicGetOkArgs, BasicGetEmptyArgs, BasicAckArgs, BasicRejectArgs, BasicRecoverAsyncArgs, BasicRecoverArgs, BasicRecoverOkArgs, BasicNackArgs, TxSelectArgs, TxSelectOkArgs, TxCommitArgs, TxCommitOkArgs, TxRollbackArgs, TxRollbackOkArgs, ConfirmSelectArgs, ConfirmSelectOkArgs } from './method-types.js';

/*
 * One binary-parser Parser per method. Notes on binary-parser, measured here:
 * - strings are read with buffer() (a view) and decoded once, here: string() allocates a
 *   TextDecoder per call;
 * - the fields are nested under `m` because the top-level result object has properties
 *   deleted from it, which leaves it in slow dictionary mode;
 * - 64-bit fields are read as two 32-bit halves, not uint64 (a bigint);
 * - a length that runs past the payload is silently truncated by buffer(), so every parser
 *   ends with saveOffset and the payload must end exactly there;
 * - AMQP packs bits LSB-first, so a bit group is read as one octet and masked here.
 * Reading past the end throws a RangeError, which decodeMethodGenerated turns into a value.
 */

interface ConnectionStartRaw {
  f0: number;
  f1: number;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  f4n: number;
  f4: Buffer;
  end: number;
}
const connectionStartParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0')
      .uint8('f1')
      .uint32('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint32('f3n')
      .buffer('f3', { length: 'f3n' })
      .uint32('f4n')
      .buffer('f4', { length: 'f4n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.start (payload = the whole method frame payload). */
export function decodeConnectionStart(payload: Buffer): ConnectionStartArgs | DecodeFailure {
  const r = (connectionStartParser.parse(payload) as { m: ConnectionStartRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_START, payload);
  const t2 = r.f2.length === 0 ? EMPTY_TABLE : decodeTable(r.f2);
  if (t2 instanceof TableFailure) return tableFailure(CONNECTION_START, 'server-properties', t2);
  return {
    versionMajor: r.f0,
    versionMinor: r.f1,
    serverProperties: t2 as FieldTable,
    mechanisms: r.f3,
    locales: r.f4,
  };
}

interface ConnectionStartOkRaw {
  f0n: number;
  f0: Buffer;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  end: number;
}
const connectionStartOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0n')
      .buffer('f0', { length: 'f0n' })
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint32('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.start-ok (payload = the whole method frame payload). */
export function decodeConnectionStartOk(payload: Buffer): ConnectionStartOkArgs | DecodeFailure {
  const r = (connectionStartOkParser.parse(payload) as { m: ConnectionStartOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_START_OK, payload);
  if (!isUtf8(r.f1)) return utf8Failure(CONNECTION_START_OK, 'mechanism');
  if (!isUtf8(r.f3)) return utf8Failure(CONNECTION_START_OK, 'locale');
  const t0 = r.f0.length === 0 ? EMPTY_TABLE : decodeTable(r.f0);
  if (t0 instanceof TableFailure) return tableFailure(CONNECTION_START_OK, 'client-properties', t0);
  return {
    clientProperties: t0 as FieldTable,
    mechanism: r.f1.toString('utf8'),
    response: r.f2,
    locale: r.f3.toString('utf8'),
  };
}

interface ConnectionSecureRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const connectionSecureParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.secure (payload = the whole method frame payload). */
export function decodeConnectionSecure(payload: Buffer): ConnectionSecureArgs | DecodeFailure {
  const r = (connectionSecureParser.parse(payload) as { m: ConnectionSecureRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_SECURE, payload);
  return {
    challenge: r.f0,
  };
}

interface ConnectionSecureOkRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const connectionSecureOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.secure-ok (payload = the whole method frame payload). */
export function decodeConnectionSecureOk(payload: Buffer): ConnectionSecureOkArgs | DecodeFailure {
  const r = (connectionSecureOkParser.parse(payload) as { m: ConnectionSecureOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_SECURE_OK, payload);
  return {
    response: r.f0,
  };
}

interface ConnectionTuneRaw {
  f0: number;
  f1: number;
  f2: number;
  end: number;
}
const connectionTuneParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint32('f1')
      .uint16('f2')
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.tune (payload = the whole method frame payload). */
export function decodeConnectionTune(payload: Buffer): ConnectionTuneArgs | DecodeFailure {
  const r = (connectionTuneParser.parse(payload) as { m: ConnectionTuneRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_TUNE, payload);
  return {
    channelMax: r.f0,
    frameMax: r.f1,
    heartbeat: r.f2,
  };
}

interface ConnectionTuneOkRaw {
  f0: number;
  f1: number;
  f2: number;
  end: number;
}
const connectionTuneOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint32('f1')
      .uint16('f2')
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.tune-ok (payload = the whole method frame payload). */
export function decodeConnectionTuneOk(payload: Buffer): ConnectionTuneOkArgs | DecodeFailure {
  const r = (connectionTuneOkParser.parse(payload) as { m: ConnectionTuneOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_TUNE_OK, payload);
  return {
    channelMax: r.f0,
    frameMax: r.f1,
    heartbeat: r.f2,
  };
}

interface ConnectionOpenRaw {
  f0n: number;
  f0: Buffer;
  f1n: number;
  f1: Buffer;
  b2: number;
  end: number;
}
const connectionOpenParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('b2')
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.open (payload = the whole method frame payload). */
export function decodeConnectionOpen(payload: Buffer): ConnectionOpenArgs | DecodeFailure {
  const r = (connectionOpenParser.parse(payload) as { m: ConnectionOpenRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_OPEN, payload);
  if (!isUtf8(r.f0)) return utf8Failure(CONNECTION_OPEN, 'virtual-host');
  if (!isUtf8(r.f1)) return utf8Failure(CONNECTION_OPEN, 'reserved-1');
  return {
    virtualHost: r.f0.toString('utf8'),
    reserved1: r.f1.toString('utf8'),
    reserved2: (r.b2 & 1) !== 0,
  };
}

interface ConnectionOpenOkRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const connectionOpenOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.open-ok (payload = the whole method frame payload). */
export function decodeConnectionOpenOk(payload: Buffer): ConnectionOpenOkArgs | DecodeFailure {
  const r = (connectionOpenOkParser.parse(payload) as { m: ConnectionOpenOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_OPEN_OK, payload);
  if (!isUtf8(r.f0)) return utf8Failure(CONNECTION_OPEN_OK, 'reserved-1');
  return {
    reserved1: r.f0.toString('utf8'),
  };
}

interface ConnectionCloseRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2: number;
  f3: number;
  end: number;
}
const connectionCloseParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint16('f2')
      .uint16('f3')
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.close (payload = the whole method frame payload). */
export function decodeConnectionClose(payload: Buffer): ConnectionCloseArgs | DecodeFailure {
  const r = (connectionCloseParser.parse(payload) as { m: ConnectionCloseRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_CLOSE, payload);
  if (!isUtf8(r.f1)) return utf8Failure(CONNECTION_CLOSE, 'reply-text');
  return {
    replyCode: r.f0,
    replyText: r.f1.toString('utf8'),
    classId: r.f2,
    methodId: r.f3,
  };
}

interface ConnectionBlockedRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const connectionBlockedParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.blocked (payload = the whole method frame payload). */
export function decodeConnectionBlocked(payload: Buffer): ConnectionBlockedArgs | DecodeFailure {
  const r = (connectionBlockedParser.parse(payload) as { m: ConnectionBlockedRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_BLOCKED, payload);
  if (!isUtf8(r.f0)) return utf8Failure(CONNECTION_BLOCKED, 'reason');
  return {
    reason: r.f0.toString('utf8'),
  };
}

interface ConnectionUpdateSecretRaw {
  f0n: number;
  f0: Buffer;
  f1n: number;
  f1: Buffer;
  end: number;
}
const connectionUpdateSecretParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0n')
      .buffer('f0', { length: 'f0n' })
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of connection.update-secret (payload = the whole method frame payload). */
export function decodeConnectionUpdateSecret(payload: Buffer): ConnectionUpdateSecretArgs | DecodeFailure {
  const r = (connectionUpdateSecretParser.parse(payload) as { m: ConnectionUpdateSecretRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONNECTION_UPDATE_SECRET, payload);
  if (!isUtf8(r.f1)) return utf8Failure(CONNECTION_UPDATE_SECRET, 'reason');
  return {
    newSecret: r.f0,
    reason: r.f1.toString('utf8'),
  };
}

interface ChannelOpenRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const channelOpenParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of channel.open (payload = the whole method frame payload). */
export function decodeChannelOpen(payload: Buffer): ChannelOpenArgs | DecodeFailure {
  const r = (channelOpenParser.parse(payload) as { m: ChannelOpenRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CHANNEL_OPEN, payload);
  if (!isUtf8(r.f0)) return utf8Failure(CHANNEL_OPEN, 'reserved-1');
  return {
    reserved1: r.f0.toString('utf8'),
  };
}

interface ChannelOpenOkRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const channelOpenOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of channel.open-ok (payload = the whole method frame payload). */
export function decodeChannelOpenOk(payload: Buffer): ChannelOpenOkArgs | DecodeFailure {
  const r = (channelOpenOkParser.parse(payload) as { m: ChannelOpenOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CHANNEL_OPEN_OK, payload);
  return {
    reserved1: r.f0,
  };
}

interface ChannelFlowRaw {
  b0: number;
  end: number;
}
const channelFlowParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('b0')
      .saveOffset('end'),
  });

/** Decodes the arguments of channel.flow (payload = the whole method frame payload). */
export function decodeChannelFlow(payload: Buffer): ChannelFlowArgs | DecodeFailure {
  const r = (channelFlowParser.parse(payload) as { m: ChannelFlowRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CHANNEL_FLOW, payload);
  return {
    active: (r.b0 & 1) !== 0,
  };
}

interface ChannelFlowOkRaw {
  b0: number;
  end: number;
}
const channelFlowOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('b0')
      .saveOffset('end'),
  });

/** Decodes the arguments of channel.flow-ok (payload = the whole method frame payload). */
export function decodeChannelFlowOk(payload: Buffer): ChannelFlowOkArgs | DecodeFailure {
  const r = (channelFlowOkParser.parse(payload) as { m: ChannelFlowOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CHANNEL_FLOW_OK, payload);
  return {
    active: (r.b0 & 1) !== 0,
  };
}

interface ChannelCloseRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2: number;
  f3: number;
  end: number;
}
const channelCloseParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint16('f2')
      .uint16('f3')
      .saveOffset('end'),
  });

/** Decodes the arguments of channel.close (payload = the whole method frame payload). */
export function decodeChannelClose(payload: Buffer): ChannelCloseArgs | DecodeFailure {
  const r = (channelCloseParser.parse(payload) as { m: ChannelCloseRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CHANNEL_CLOSE, payload);
  if (!isUtf8(r.f1)) return utf8Failure(CHANNEL_CLOSE, 'reply-text');
  return {
    replyCode: r.f0,
    replyText: r.f1.toString('utf8'),
    classId: r.f2,
    methodId: r.f3,
  };
}

interface ExchangeDeclareRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  b3: number;
  f8n: number;
  f8: Buffer;
  end: number;
}
const exchangeDeclareParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('b3')
      .uint32('f8n')
      .buffer('f8', { length: 'f8n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of exchange.declare (payload = the whole method frame payload). */
export function decodeExchangeDeclare(payload: Buffer): ExchangeDeclareArgs | DecodeFailure {
  const r = (exchangeDeclareParser.parse(payload) as { m: ExchangeDeclareRaw }).m;
  if (r.end !== payload.length) return argumentFailure(EXCHANGE_DECLARE, payload);
  if (!isUtf8(r.f1)) return utf8Failure(EXCHANGE_DECLARE, 'exchange');
  if (!isUtf8(r.f2)) return utf8Failure(EXCHANGE_DECLARE, 'type');
  const t8 = r.f8.length === 0 ? EMPTY_TABLE : decodeTable(r.f8);
  if (t8 instanceof TableFailure) return tableFailure(EXCHANGE_DECLARE, 'arguments', t8);
  return {
    reserved1: r.f0,
    exchange: r.f1.toString('utf8'),
    type: r.f2.toString('utf8'),
    passive: (r.b3 & 1) !== 0,
    durable: (r.b3 & 2) !== 0,
    autoDelete: (r.b3 & 4) !== 0,
    internal: (r.b3 & 8) !== 0,
    noWait: (r.b3 & 16) !== 0,
    arguments: t8 as FieldTable,
  };
}

interface ExchangeDeleteRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  b2: number;
  end: number;
}
const exchangeDeleteParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('b2')
      .saveOffset('end'),
  });

/** Decodes the arguments of exchange.delete (payload = the whole method frame payload). */
export function decodeExchangeDelete(payload: Buffer): ExchangeDeleteArgs | DecodeFailure {
  const r = (exchangeDeleteParser.parse(payload) as { m: ExchangeDeleteRaw }).m;
  if (r.end !== payload.length) return argumentFailure(EXCHANGE_DELETE, payload);
  if (!isUtf8(r.f1)) return utf8Failure(EXCHANGE_DELETE, 'exchange');
  return {
    reserved1: r.f0,
    exchange: r.f1.toString('utf8'),
    ifUnused: (r.b2 & 1) !== 0,
    noWait: (r.b2 & 2) !== 0,
  };
}

interface ExchangeBindRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  b4: number;
  f5n: number;
  f5: Buffer;
  end: number;
}
const exchangeBindParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .uint8('b4')
      .uint32('f5n')
      .buffer('f5', { length: 'f5n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of exchange.bind (payload = the whole method frame payload). */
export function decodeExchangeBind(payload: Buffer): ExchangeBindArgs | DecodeFailure {
  const r = (exchangeBindParser.parse(payload) as { m: ExchangeBindRaw }).m;
  if (r.end !== payload.length) return argumentFailure(EXCHANGE_BIND, payload);
  if (!isUtf8(r.f1)) return utf8Failure(EXCHANGE_BIND, 'destination');
  if (!isUtf8(r.f2)) return utf8Failure(EXCHANGE_BIND, 'source');
  if (!isUtf8(r.f3)) return utf8Failure(EXCHANGE_BIND, 'routing-key');
  const t5 = r.f5.length === 0 ? EMPTY_TABLE : decodeTable(r.f5);
  if (t5 instanceof TableFailure) return tableFailure(EXCHANGE_BIND, 'arguments', t5);
  return {
    reserved1: r.f0,
    destination: r.f1.toString('utf8'),
    source: r.f2.toString('utf8'),
    routingKey: r.f3.toString('utf8'),
    noWait: (r.b4 & 1) !== 0,
    arguments: t5 as FieldTable,
  };
}

interface ExchangeUnbindRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  b4: number;
  f5n: number;
  f5: Buffer;
  end: number;
}
const exchangeUnbindParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .uint8('b4')
      .uint32('f5n')
      .buffer('f5', { length: 'f5n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of exchange.unbind (payload = the whole method frame payload). */
export function decodeExchangeUnbind(payload: Buffer): ExchangeUnbindArgs | DecodeFailure {
  const r = (exchangeUnbindParser.parse(payload) as { m: ExchangeUnbindRaw }).m;
  if (r.end !== payload.length) return argumentFailure(EXCHANGE_UNBIND, payload);
  if (!isUtf8(r.f1)) return utf8Failure(EXCHANGE_UNBIND, 'destination');
  if (!isUtf8(r.f2)) return utf8Failure(EXCHANGE_UNBIND, 'source');
  if (!isUtf8(r.f3)) return utf8Failure(EXCHANGE_UNBIND, 'routing-key');
  const t5 = r.f5.length === 0 ? EMPTY_TABLE : decodeTable(r.f5);
  if (t5 instanceof TableFailure) return tableFailure(EXCHANGE_UNBIND, 'arguments', t5);
  return {
    reserved1: r.f0,
    destination: r.f1.toString('utf8'),
    source: r.f2.toString('utf8'),
    routingKey: r.f3.toString('utf8'),
    noWait: (r.b4 & 1) !== 0,
    arguments: t5 as FieldTable,
  };
}

interface QueueDeclareRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  b2: number;
  f7n: number;
  f7: Buffer;
  end: number;
}
const queueDeclareParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('b2')
      .uint32('f7n')
      .buffer('f7', { length: 'f7n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.declare (payload = the whole method frame payload). */
export function decodeQueueDeclare(payload: Buffer): QueueDeclareArgs | DecodeFailure {
  const r = (queueDeclareParser.parse(payload) as { m: QueueDeclareRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_DECLARE, payload);
  if (!isUtf8(r.f1)) return utf8Failure(QUEUE_DECLARE, 'queue');
  const t7 = r.f7.length === 0 ? EMPTY_TABLE : decodeTable(r.f7);
  if (t7 instanceof TableFailure) return tableFailure(QUEUE_DECLARE, 'arguments', t7);
  return {
    reserved1: r.f0,
    queue: r.f1.toString('utf8'),
    passive: (r.b2 & 1) !== 0,
    durable: (r.b2 & 2) !== 0,
    exclusive: (r.b2 & 4) !== 0,
    autoDelete: (r.b2 & 8) !== 0,
    noWait: (r.b2 & 16) !== 0,
    arguments: t7 as FieldTable,
  };
}

interface QueueDeclareOkRaw {
  f0n: number;
  f0: Buffer;
  f1: number;
  f2: number;
  end: number;
}
const queueDeclareOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .uint32('f1')
      .uint32('f2')
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.declare-ok (payload = the whole method frame payload). */
export function decodeQueueDeclareOk(payload: Buffer): QueueDeclareOkArgs | DecodeFailure {
  const r = (queueDeclareOkParser.parse(payload) as { m: QueueDeclareOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_DECLARE_OK, payload);
  if (!isUtf8(r.f0)) return utf8Failure(QUEUE_DECLARE_OK, 'queue');
  return {
    queue: r.f0.toString('utf8'),
    messageCount: r.f1,
    consumerCount: r.f2,
  };
}

interface QueueBindRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  b4: number;
  f5n: number;
  f5: Buffer;
  end: number;
}
const queueBindParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .uint8('b4')
      .uint32('f5n')
      .buffer('f5', { length: 'f5n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.bind (payload = the whole method frame payload). */
export function decodeQueueBind(payload: Buffer): QueueBindArgs | DecodeFailure {
  const r = (queueBindParser.parse(payload) as { m: QueueBindRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_BIND, payload);
  if (!isUtf8(r.f1)) return utf8Failure(QUEUE_BIND, 'queue');
  if (!isUtf8(r.f2)) return utf8Failure(QUEUE_BIND, 'exchange');
  if (!isUtf8(r.f3)) return utf8Failure(QUEUE_BIND, 'routing-key');
  const t5 = r.f5.length === 0 ? EMPTY_TABLE : decodeTable(r.f5);
  if (t5 instanceof TableFailure) return tableFailure(QUEUE_BIND, 'arguments', t5);
  return {
    reserved1: r.f0,
    queue: r.f1.toString('utf8'),
    exchange: r.f2.toString('utf8'),
    routingKey: r.f3.toString('utf8'),
    noWait: (r.b4 & 1) !== 0,
    arguments: t5 as FieldTable,
  };
}

interface QueueUnbindRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  f4n: number;
  f4: Buffer;
  end: number;
}
const queueUnbindParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .uint32('f4n')
      .buffer('f4', { length: 'f4n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.unbind (payload = the whole method frame payload). */
export function decodeQueueUnbind(payload: Buffer): QueueUnbindArgs | DecodeFailure {
  const r = (queueUnbindParser.parse(payload) as { m: QueueUnbindRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_UNBIND, payload);
  if (!isUtf8(r.f1)) return utf8Failure(QUEUE_UNBIND, 'queue');
  if (!isUtf8(r.f2)) return utf8Failure(QUEUE_UNBIND, 'exchange');
  if (!isUtf8(r.f3)) return utf8Failure(QUEUE_UNBIND, 'routing-key');
  const t4 = r.f4.length === 0 ? EMPTY_TABLE : decodeTable(r.f4);
  if (t4 instanceof TableFailure) return tableFailure(QUEUE_UNBIND, 'arguments', t4);
  return {
    reserved1: r.f0,
    queue: r.f1.toString('utf8'),
    exchange: r.f2.toString('utf8'),
    routingKey: r.f3.toString('utf8'),
    arguments: t4 as FieldTable,
  };
}

interface QueuePurgeRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  b2: number;
  end: number;
}
const queuePurgeParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('b2')
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.purge (payload = the whole method frame payload). */
export function decodeQueuePurge(payload: Buffer): QueuePurgeArgs | DecodeFailure {
  const r = (queuePurgeParser.parse(payload) as { m: QueuePurgeRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_PURGE, payload);
  if (!isUtf8(r.f1)) return utf8Failure(QUEUE_PURGE, 'queue');
  return {
    reserved1: r.f0,
    queue: r.f1.toString('utf8'),
    noWait: (r.b2 & 1) !== 0,
  };
}

interface QueuePurgeOkRaw {
  f0: number;
  end: number;
}
const queuePurgeOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0')
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.purge-ok (payload = the whole method frame payload). */
export function decodeQueuePurgeOk(payload: Buffer): QueuePurgeOkArgs | DecodeFailure {
  const r = (queuePurgeOkParser.parse(payload) as { m: QueuePurgeOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_PURGE_OK, payload);
  return {
    messageCount: r.f0,
  };
}

interface QueueDeleteRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  b2: number;
  end: number;
}
const queueDeleteParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('b2')
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.delete (payload = the whole method frame payload). */
export function decodeQueueDelete(payload: Buffer): QueueDeleteArgs | DecodeFailure {
  const r = (queueDeleteParser.parse(payload) as { m: QueueDeleteRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_DELETE, payload);
  if (!isUtf8(r.f1)) return utf8Failure(QUEUE_DELETE, 'queue');
  return {
    reserved1: r.f0,
    queue: r.f1.toString('utf8'),
    ifUnused: (r.b2 & 1) !== 0,
    ifEmpty: (r.b2 & 2) !== 0,
    noWait: (r.b2 & 4) !== 0,
  };
}

interface QueueDeleteOkRaw {
  f0: number;
  end: number;
}
const queueDeleteOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0')
      .saveOffset('end'),
  });

/** Decodes the arguments of queue.delete-ok (payload = the whole method frame payload). */
export function decodeQueueDeleteOk(payload: Buffer): QueueDeleteOkArgs | DecodeFailure {
  const r = (queueDeleteOkParser.parse(payload) as { m: QueueDeleteOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(QUEUE_DELETE_OK, payload);
  return {
    messageCount: r.f0,
  };
}

interface BasicQosRaw {
  f0: number;
  f1: number;
  b2: number;
  end: number;
}
const basicQosParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0')
      .uint16('f1')
      .uint8('b2')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.qos (payload = the whole method frame payload). */
export function decodeBasicQos(payload: Buffer): BasicQosArgs | DecodeFailure {
  const r = (basicQosParser.parse(payload) as { m: BasicQosRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_QOS, payload);
  return {
    prefetchSize: r.f0,
    prefetchCount: r.f1,
    global: (r.b2 & 1) !== 0,
  };
}

interface BasicConsumeRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  b3: number;
  f7n: number;
  f7: Buffer;
  end: number;
}
const basicConsumeParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('b3')
      .uint32('f7n')
      .buffer('f7', { length: 'f7n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.consume (payload = the whole method frame payload). */
export function decodeBasicConsume(payload: Buffer): BasicConsumeArgs | DecodeFailure {
  const r = (basicConsumeParser.parse(payload) as { m: BasicConsumeRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_CONSUME, payload);
  if (!isUtf8(r.f1)) return utf8Failure(BASIC_CONSUME, 'queue');
  if (!isUtf8(r.f2)) return utf8Failure(BASIC_CONSUME, 'consumer-tag');
  const t7 = r.f7.length === 0 ? EMPTY_TABLE : decodeTable(r.f7);
  if (t7 instanceof TableFailure) return tableFailure(BASIC_CONSUME, 'arguments', t7);
  return {
    reserved1: r.f0,
    queue: r.f1.toString('utf8'),
    consumerTag: r.f2.toString('utf8'),
    noLocal: (r.b3 & 1) !== 0,
    noAck: (r.b3 & 2) !== 0,
    exclusive: (r.b3 & 4) !== 0,
    noWait: (r.b3 & 8) !== 0,
    arguments: t7 as FieldTable,
  };
}

interface BasicConsumeOkRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const basicConsumeOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.consume-ok (payload = the whole method frame payload). */
export function decodeBasicConsumeOk(payload: Buffer): BasicConsumeOkArgs | DecodeFailure {
  const r = (basicConsumeOkParser.parse(payload) as { m: BasicConsumeOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_CONSUME_OK, payload);
  if (!isUtf8(r.f0)) return utf8Failure(BASIC_CONSUME_OK, 'consumer-tag');
  return {
    consumerTag: r.f0.toString('utf8'),
  };
}

interface BasicCancelRaw {
  f0n: number;
  f0: Buffer;
  b1: number;
  end: number;
}
const basicCancelParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .uint8('b1')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.cancel (payload = the whole method frame payload). */
export function decodeBasicCancel(payload: Buffer): BasicCancelArgs | DecodeFailure {
  const r = (basicCancelParser.parse(payload) as { m: BasicCancelRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_CANCEL, payload);
  if (!isUtf8(r.f0)) return utf8Failure(BASIC_CANCEL, 'consumer-tag');
  return {
    consumerTag: r.f0.toString('utf8'),
    noWait: (r.b1 & 1) !== 0,
  };
}

interface BasicCancelOkRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const basicCancelOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.cancel-ok (payload = the whole method frame payload). */
export function decodeBasicCancelOk(payload: Buffer): BasicCancelOkArgs | DecodeFailure {
  const r = (basicCancelOkParser.parse(payload) as { m: BasicCancelOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_CANCEL_OK, payload);
  if (!isUtf8(r.f0)) return utf8Failure(BASIC_CANCEL_OK, 'consumer-tag');
  return {
    consumerTag: r.f0.toString('utf8'),
  };
}

interface BasicPublishRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  b3: number;
  end: number;
}
const basicPublishParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('b3')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.publish (payload = the whole method frame payload). */
export function decodeBasicPublish(payload: Buffer): BasicPublishArgs | DecodeFailure {
  const r = (basicPublishParser.parse(payload) as { m: BasicPublishRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_PUBLISH, payload);
  return {
    reserved1: r.f0,
    exchange: r.f1.toString('utf8'),
    routingKey: r.f2.toString('utf8'),
    mandatory: (r.b3 & 1) !== 0,
    immediate: (r.b3 & 2) !== 0,
  };
}

interface BasicReturnRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  end: number;
}
const basicReturnParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.return (payload = the whole method frame payload). */
export function decodeBasicReturn(payload: Buffer): BasicReturnArgs | DecodeFailure {
  const r = (basicReturnParser.parse(payload) as { m: BasicReturnRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_RETURN, payload);
  return {
    replyCode: r.f0,
    replyText: r.f1.toString('utf8'),
    exchange: r.f2.toString('utf8'),
    routingKey: r.f3.toString('utf8'),
  };
}

interface BasicDeliverRaw {
  f0n: number;
  f0: Buffer;
  f1h: number;
  f1l: number;
  b2: number;
  f3n: number;
  f3: Buffer;
  f4n: number;
  f4: Buffer;
  end: number;
}
const basicDeliverParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .uint32('f1h')
      .uint32('f1l')
      .uint8('b2')
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .uint8('f4n')
      .buffer('f4', { length: 'f4n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.deliver (payload = the whole method frame payload). */
export function decodeBasicDeliver(payload: Buffer): BasicDeliverArgs | DecodeFailure {
  const r = (basicDeliverParser.parse(payload) as { m: BasicDeliverRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_DELIVER, payload);
  return {
    consumerTag: r.f0.toString('utf8'),
    deliveryTag: r.f1h * 0x1_0000_0000 + r.f1l,
    redelivered: (r.b2 & 1) !== 0,
    exchange: r.f3.toString('utf8'),
    routingKey: r.f4.toString('utf8'),
  };
}

interface BasicGetRaw {
  f0: number;
  f1n: number;
  f1: Buffer;
  b2: number;
  end: number;
}
const basicGetParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint16('f0')
      .uint8('f1n')
      .buffer('f1', { length: 'f1n' })
      .uint8('b2')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.get (payload = the whole method frame payload). */
export function decodeBasicGet(payload: Buffer): BasicGetArgs | DecodeFailure {
  const r = (basicGetParser.parse(payload) as { m: BasicGetRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_GET, payload);
  if (!isUtf8(r.f1)) return utf8Failure(BASIC_GET, 'queue');
  return {
    reserved1: r.f0,
    queue: r.f1.toString('utf8'),
    noAck: (r.b2 & 1) !== 0,
  };
}

interface BasicGetOkRaw {
  f0h: number;
  f0l: number;
  b1: number;
  f2n: number;
  f2: Buffer;
  f3n: number;
  f3: Buffer;
  f4: number;
  end: number;
}
const basicGetOkParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0h')
      .uint32('f0l')
      .uint8('b1')
      .uint8('f2n')
      .buffer('f2', { length: 'f2n' })
      .uint8('f3n')
      .buffer('f3', { length: 'f3n' })
      .uint32('f4')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.get-ok (payload = the whole method frame payload). */
export function decodeBasicGetOk(payload: Buffer): BasicGetOkArgs | DecodeFailure {
  const r = (basicGetOkParser.parse(payload) as { m: BasicGetOkRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_GET_OK, payload);
  return {
    deliveryTag: r.f0h * 0x1_0000_0000 + r.f0l,
    redelivered: (r.b1 & 1) !== 0,
    exchange: r.f2.toString('utf8'),
    routingKey: r.f3.toString('utf8'),
    messageCount: r.f4,
  };
}

interface BasicGetEmptyRaw {
  f0n: number;
  f0: Buffer;
  end: number;
}
const basicGetEmptyParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('f0n')
      .buffer('f0', { length: 'f0n' })
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.get-empty (payload = the whole method frame payload). */
export function decodeBasicGetEmpty(payload: Buffer): BasicGetEmptyArgs | DecodeFailure {
  const r = (basicGetEmptyParser.parse(payload) as { m: BasicGetEmptyRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_GET_EMPTY, payload);
  if (!isUtf8(r.f0)) return utf8Failure(BASIC_GET_EMPTY, 'reserved-1');
  return {
    reserved1: r.f0.toString('utf8'),
  };
}

interface BasicAckRaw {
  f0h: number;
  f0l: number;
  b1: number;
  end: number;
}
const basicAckParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0h')
      .uint32('f0l')
      .uint8('b1')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.ack (payload = the whole method frame payload). */
export function decodeBasicAck(payload: Buffer): BasicAckArgs | DecodeFailure {
  const r = (basicAckParser.parse(payload) as { m: BasicAckRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_ACK, payload);
  return {
    deliveryTag: r.f0h * 0x1_0000_0000 + r.f0l,
    multiple: (r.b1 & 1) !== 0,
  };
}

interface BasicRejectRaw {
  f0h: number;
  f0l: number;
  b1: number;
  end: number;
}
const basicRejectParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0h')
      .uint32('f0l')
      .uint8('b1')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.reject (payload = the whole method frame payload). */
export function decodeBasicReject(payload: Buffer): BasicRejectArgs | DecodeFailure {
  const r = (basicRejectParser.parse(payload) as { m: BasicRejectRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_REJECT, payload);
  return {
    deliveryTag: r.f0h * 0x1_0000_0000 + r.f0l,
    requeue: (r.b1 & 1) !== 0,
  };
}

interface BasicRecoverAsyncRaw {
  b0: number;
  end: number;
}
const basicRecoverAsyncParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('b0')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.recover-async (payload = the whole method frame payload). */
export function decodeBasicRecoverAsync(payload: Buffer): BasicRecoverAsyncArgs | DecodeFailure {
  const r = (basicRecoverAsyncParser.parse(payload) as { m: BasicRecoverAsyncRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_RECOVER_ASYNC, payload);
  return {
    requeue: (r.b0 & 1) !== 0,
  };
}

interface BasicRecoverRaw {
  b0: number;
  end: number;
}
const basicRecoverParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('b0')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.recover (payload = the whole method frame payload). */
export function decodeBasicRecover(payload: Buffer): BasicRecoverArgs | DecodeFailure {
  const r = (basicRecoverParser.parse(payload) as { m: BasicRecoverRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_RECOVER, payload);
  return {
    requeue: (r.b0 & 1) !== 0,
  };
}

interface BasicNackRaw {
  f0h: number;
  f0l: number;
  b1: number;
  end: number;
}
const basicNackParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint32('f0h')
      .uint32('f0l')
      .uint8('b1')
      .saveOffset('end'),
  });

/** Decodes the arguments of basic.nack (payload = the whole method frame payload). */
export function decodeBasicNack(payload: Buffer): BasicNackArgs | DecodeFailure {
  const r = (basicNackParser.parse(payload) as { m: BasicNackRaw }).m;
  if (r.end !== payload.length) return argumentFailure(BASIC_NACK, payload);
  return {
    deliveryTag: r.f0h * 0x1_0000_0000 + r.f0l,
    multiple: (r.b1 & 1) !== 0,
    requeue: (r.b1 & 2) !== 0,
  };
}

interface ConfirmSelectRaw {
  b0: number;
  end: number;
}
const confirmSelectParser = new Parser()
  .seek(4)
  .nest('m', {
    type: new Parser()
      .uint8('b0')
      .saveOffset('end'),
  });

/** Decodes the arguments of confirm.select (payload = the whole method frame payload). */
export function decodeConfirmSelect(payload: Buffer): ConfirmSelectArgs | DecodeFailure {
  const r = (confirmSelectParser.parse(payload) as { m: ConfirmSelectRaw }).m;
  if (r.end !== payload.length) return argumentFailure(CONFIRM_SELECT, payload);
  return {
    nowait: (r.b0 & 1) !== 0,
  };
}

const EMPTY_TABLE: FieldTable = [];

/**
 * Decodes a method frame payload with the generated decoders. Never throws on bad input:
 * a payload that does not fit its method comes back as a DecodeFailure.
 */
export function decodeMethodGenerated(payload: Buffer): Method | DecodeFailure {
  const id = payload.readUInt32BE(0);
  try {
    switch (id) {
      case CONNECTION_START: {
        const args = decodeConnectionStart(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_START_OK: {
        const args = decodeConnectionStartOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_SECURE: {
        const args = decodeConnectionSecure(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_SECURE_OK: {
        const args = decodeConnectionSecureOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_TUNE: {
        const args = decodeConnectionTune(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_TUNE_OK: {
        const args = decodeConnectionTuneOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_OPEN: {
        const args = decodeConnectionOpen(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_OPEN_OK: {
        const args = decodeConnectionOpenOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_CLOSE: {
        const args = decodeConnectionClose(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_CLOSE_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case CONNECTION_BLOCKED: {
        const args = decodeConnectionBlocked(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_UNBLOCKED:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case CONNECTION_UPDATE_SECRET: {
        const args = decodeConnectionUpdateSecret(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONNECTION_UPDATE_SECRET_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case CHANNEL_OPEN: {
        const args = decodeChannelOpen(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CHANNEL_OPEN_OK: {
        const args = decodeChannelOpenOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CHANNEL_FLOW: {
        const args = decodeChannelFlow(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CHANNEL_FLOW_OK: {
        const args = decodeChannelFlowOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CHANNEL_CLOSE: {
        const args = decodeChannelClose(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CHANNEL_CLOSE_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case EXCHANGE_DECLARE: {
        const args = decodeExchangeDeclare(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case EXCHANGE_DECLARE_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case EXCHANGE_DELETE: {
        const args = decodeExchangeDelete(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case EXCHANGE_DELETE_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case EXCHANGE_BIND: {
        const args = decodeExchangeBind(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case EXCHANGE_BIND_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case EXCHANGE_UNBIND: {
        const args = decodeExchangeUnbind(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case EXCHANGE_UNBIND_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case QUEUE_DECLARE: {
        const args = decodeQueueDeclare(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case QUEUE_DECLARE_OK: {
        const args = decodeQueueDeclareOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case QUEUE_BIND: {
        const args = decodeQueueBind(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case QUEUE_BIND_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case QUEUE_UNBIND: {
        const args = decodeQueueUnbind(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case QUEUE_UNBIND_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case QUEUE_PURGE: {
        const args = decodeQueuePurge(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case QUEUE_PURGE_OK: {
        const args = decodeQueuePurgeOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case QUEUE_DELETE: {
        const args = decodeQueueDelete(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case QUEUE_DELETE_OK: {
        const args = decodeQueueDeleteOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_QOS: {
        const args = decodeBasicQos(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_QOS_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case BASIC_CONSUME: {
        const args = decodeBasicConsume(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_CONSUME_OK: {
        const args = decodeBasicConsumeOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_CANCEL: {
        const args = decodeBasicCancel(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_CANCEL_OK: {
        const args = decodeBasicCancelOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_PUBLISH: {
        const args = decodeBasicPublish(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_RETURN: {
        const args = decodeBasicReturn(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_DELIVER: {
        const args = decodeBasicDeliver(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_GET: {
        const args = decodeBasicGet(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_GET_OK: {
        const args = decodeBasicGetOk(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_GET_EMPTY: {
        const args = decodeBasicGetEmpty(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_ACK: {
        const args = decodeBasicAck(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_REJECT: {
        const args = decodeBasicReject(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_RECOVER_ASYNC: {
        const args = decodeBasicRecoverAsync(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_RECOVER: {
        const args = decodeBasicRecover(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case BASIC_RECOVER_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case BASIC_NACK: {
        const args = decodeBasicNack(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case TX_SELECT:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case TX_SELECT_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case TX_COMMIT:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case TX_COMMIT_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case TX_ROLLBACK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case TX_ROLLBACK_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      case CONFIRM_SELECT: {
        const args = decodeConfirmSelect(payload);
        return args instanceof DecodeFailure ? args : { id, args };
      }
      case CONFIRM_SELECT_OK:
        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);
      default:
        return unknownMethod(id);
    }
  } catch (e) {
    if (e instanceof RangeError) return argumentFailure(id, payload);
    throw e;
  }
}
