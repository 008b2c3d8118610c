// generated — do not edit. Source: protocol/amqp-0-9-1.json, by protocol/generate.mjs
// (npm run gen:protocol).

import type { ByteWriter } from '../byte-writer.js';
import { writeTable, EMPTY_TABLE } from '../field-table.js';
import { CONNECTION_START, CONNECTION_START_OK, CONNECTION_SECURE, CONNECTION_SECURE_OK, CONNECTION_TUNE, CONNECTION_TUNE_OK, CONNECTION_OPEN, CONNECTION_OPEN_OK, CONNECTION_CLOSE, CONNECTION_CLOSE_OK, CONNECTION_BLOCKED, CONNECTION_UNBLOCKED, CONNECTION_UPDATE_SECRET, CONNECTION_UPDATE_SECRET_OK, CHANNEL_OPEN, CHANNEL_OPEN_OK, CHANNEL_FLOW, CHANNEL_FLOW_OK, CHANNEL_CLOSE, CHANNEL_CLOSE_OK, EXCHANGE_DECLARE, EXCHANGE_DECLARE_OK, EXCHANGE_DELETE, EXCHANGE_DELETE_OK, EXCHANGE_BIND, EXCHANGE_BIND_OK, EXCHANGE_UNBIND, EXCHANGE_UNBIND_OK, QUEUE_DECLARE, QUEUE_DECLARE_OK, QUEUE_BIND, QUEUE_BIND_OK, QUEUE_UNBIND, QUEUE_UNBIND_OK, QUEUE_PURGE, QUEUE_PURGE_OK, QUEUE_DELETE, QUEUE_DELETE_OK, BASIC_QOS, BASIC_QOS_OK, BASIC_CONSUME, BASIC_CONSUME_OK, BASIC_CANCEL, BASIC_CANCEL_OK, BASIC_PUBLISH, BASIC_RETURN, BASIC_DELIVER, BASIC_GET, BASIC_GET_OK, BASIC_GET_EMPTY, BASIC_ACK, BASIC_REJECT, BASIC_RECOVER_ASYNC, BASIC_RECOVER, BASIC_RECOVER_OK, BASIC_NACK, TX_SELECT, TX_SELECT_OK, TX_COMMIT, TX_COMMIT_OK, TX_ROLLBACK, TX_ROLLBACK_OK, CONFIRM_SELECT, CONFIRM_SELECT_OK } from './protocol.js';
import type { MethodInitById, ConnectionStartInit, ConnectionStartOkInit, ConnectionSecureInit, ConnectionSecureOkInit, ConnectionTuneInit, ConnectionTuneOkInit, ConnectionOpenInit, ConnectionOpenOkInit, ConnectionCloseInit, ConnectionCloseOkInit, ConnectionBlockedInit, ConnectionUnblockedInit, ConnectionUpdateSecretInit, ConnectionUpdateSecretOkInit, ChannelOpenInit, ChannelOpenOkInit, ChannelFlowInit, ChannelFlowOkInit, ChannelCloseInit, ChannelCloseOkInit, ExchangeDeclareInit, ExchangeDeclareOkInit, ExchangeDeleteInit, ExchangeDeleteOkInit, ExchangeBindInit, ExchangeBindOkInit, ExchangeUnbindInit, ExchangeUnbindOkInit, QueueDeclareInit, QueueDeclareOkInit, QueueBindInit, QueueBindOkInit, QueueUnbindInit, QueueUnbindOkInit, QueuePurgeInit, QueuePurgeOkInit, QueueDeleteInit, QueueDeleteOkInit, BasicQosInit, BasicQosOkInit, BasicConsumeInit, BasicConsumeOkInit, BasicCancelInit, BasicCancelOkInit, BasicPublishInit, BasicReturnInit, BasicDeliverInit, BasicGetInit, BasicGetOkInit, BasicGetEmptyInit, BasicAckInit, BasicRejectInit, BasicRecoverAsyncInit, BasicRecoverInit, BasicRecoverOkInit, BasicNackInit, TxSelectInit, TxSelectOkInit, TxCommitInit, TxCommitOkInit, TxRollbackInit, TxRollbackOkInit, ConfirmSelectInit, ConfirmSelectOkInit } from './method-types.js';

/** Writes the payload of connection.start: class and method id, then the arguments. */
export function encodeConnectionStart(w: ByteWriter, a: ConnectionStartInit): void {
  w.u32(CONNECTION_START);
  w.u8(a.versionMajor);
  w.u8(a.versionMinor);
  writeTable(w, a.serverProperties ?? EMPTY_TABLE);
  w.longstr(a.mechanisms);
  w.longstr(a.locales);
}

/** Writes the payload of connection.start-ok: class and method id, then the arguments. */
export function encodeConnectionStartOk(w: ByteWriter, a: ConnectionStartOkInit): void {
  w.u32(CONNECTION_START_OK);
  writeTable(w, a.clientProperties ?? EMPTY_TABLE);
  w.shortstr(a.mechanism);
  w.longstr(a.response);
  w.shortstr(a.locale);
}

/** Writes the payload of connection.secure: class and method id, then the arguments. */
export function encodeConnectionSecure(w: ByteWriter, a: ConnectionSecureInit): void {
  w.u32(CONNECTION_SECURE);
  w.longstr(a.challenge);
}

/** Writes the payload of connection.secure-ok: class and method id, then the arguments. */
export function encodeConnectionSecureOk(w: ByteWriter, a: ConnectionSecureOkInit): void {
  w.u32(CONNECTION_SECURE_OK);
  w.longstr(a.response);
}

/** Writes the payload of connection.tune: class and method id, then the arguments. */
export function encodeConnectionTune(w: ByteWriter, a: ConnectionTuneInit): void {
  w.u32(CONNECTION_TUNE);
  w.u16(a.channelMax);
  w.u32(a.frameMax);
  w.u16(a.heartbeat);
}

/** Writes the payload of connection.tune-ok: class and method id, then the arguments. */
export function encodeConnectionTuneOk(w: ByteWriter, a: ConnectionTuneOkInit): void {
  w.u32(CONNECTION_TUNE_OK);
  w.u16(a.channelMax);
  w.u32(a.frameMax);
  w.u16(a.heartbeat);
}

/** Writes the payload of connection.open: class and method id, then the arguments. */
export function encodeConnectionOpen(w: ByteWriter, a: ConnectionOpenInit): void {
  w.u32(CONNECTION_OPEN);
  w.shortstr(a.virtualHost);
  w.shortstr(a.reserved1 ?? '');
  w.u8((a.reserved2 ? 1 : 0));
}

/** Writes the payload of connection.open-ok: class and method id, then the arguments. */
export function encodeConnectionOpenOk(w: ByteWriter, a: ConnectionOpenOkInit): void {
  w.u32(CONNECTION_OPEN_OK);
  w.shortstr(a.reserved1 ?? '');
}

/** Writes the payload of connection.close: class and method id, then the arguments. */
export function encodeConnectionClose(w: ByteWriter, a: ConnectionCloseInit): void {
  w.u32(CONNECTION_CLOSE);
  w.u16(a.replyCode);
  w.shortstr(a.replyText);
  w.u16(a.classId);
  w.u16(a.methodId);
}

/** Writes the payload of connection.close-ok: class and method id, then the arguments. */
export function encodeConnectionCloseOk(w: ByteWriter, _a: ConnectionCloseOkInit): void {
  w.u32(CONNECTION_CLOSE_OK);
}

/** Writes the payload of connection.blocked: class and method id, then the arguments. */
export function encodeConnectionBlocked(w: ByteWriter, a: ConnectionBlockedInit): void {
  w.u32(CONNECTION_BLOCKED);
  w.shortstr(a.reason);
}

/** Writes the payload of connection.unblocked: class and method id, then the arguments. */
export function encodeConnectionUnblocked(w: ByteWriter, _a: ConnectionUnblockedInit): void {
  w.u32(CONNECTION_UNBLOCKED);
}

/** Writes the payload of connection.update-secret: class and method id, then the arguments. */
export function encodeConnectionUpdateSecret(w: ByteWriter, a: ConnectionUpdateSecretInit): void {
  w.u32(CONNECTION_UPDATE_SECRET);
  w.longstr(a.newSecret);
  w.shortstr(a.reason);
}

/** Writes the payload of connection.update-secret-ok: class and method id, then the arguments. */
export function encodeConnectionUpdateSecretOk(w: ByteWriter, _a: ConnectionUpdateSecretOkInit): void {
  w.u32(CONNECTION_UPDATE_SECRET_OK);
}

/** Writes the payload of channel.open: class and method id, then the arguments. */
export function encodeChannelOpen(w: ByteWriter, a: ChannelOpenInit): void {
  w.u32(CHANNEL_OPEN);
  w.shortstr(a.reserved1 ?? '');
}

/** Writes the payload of channel.open-ok: class and method id, then the arguments. */
export function encodeChannelOpenOk(w: ByteWriter, a: ChannelOpenOkInit): void {
  w.u32(CHANNEL_OPEN_OK);
  w.longstr(a.reserved1 ?? '');
}

/** Writes the payload of channel.flow: class and method id, then the arguments. */
export function encodeChannelFlow(w: ByteWriter, a: ChannelFlowInit): void {
  w.u32(CHANNEL_FLOW);
  w.u8((a.active ? 1 : 0));
}

/** Writes the payload of channel.flow-ok: class and method id, then the arguments. */
export function encodeChannelFlowOk(w: ByteWriter, a: ChannelFlowOkInit): void {
  w.u32(CHANNEL_FLOW_OK);
  w.u8((a.active ? 1 : 0));
}

/** Writes the payload of channel.close: class and method id, then the arguments. */
export function encodeChannelClose(w: ByteWriter, a: ChannelCloseInit): void {
  w.u32(CHANNEL_CLOSE);
  w.u16(a.replyCode);
  w.shortstr(a.replyText);
  w.u16(a.classId);
  w.u16(a.methodId);
}

/** Writes the payload of channel.close-ok: class and method id, then the arguments. */
export function encodeChannelCloseOk(w: ByteWriter, _a: ChannelCloseOkInit): void {
  w.u32(CHANNEL_CLOSE_OK);
}

/** Writes the payload of exchange.declare: class and method id, then the arguments. */
export function encodeExchangeDeclare(w: ByteWriter, a: ExchangeDeclareInit): void {
  w.u32(EXCHANGE_DECLARE);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.exchange);
  w.shortstr(a.type);
  w.u8((a.passive ? 1 : 0) | (a.durable ? 2 : 0) | (a.autoDelete ? 4 : 0) | (a.internal ? 8 : 0) | (a.noWait ? 16 : 0));
  writeTable(w, a.arguments ?? EMPTY_TABLE);
}

/** Writes the payload of exchange.declare-ok: class and method id, then the arguments. */
export function encodeExchangeDeclareOk(w: ByteWriter, _a: ExchangeDeclareOkInit): void {
  w.u32(EXCHANGE_DECLARE_OK);
}

/** Writes the payload of exchange.delete: class and method id, then the arguments. */
export function encodeExchangeDelete(w: ByteWriter, a: ExchangeDeleteInit): void {
  w.u32(EXCHANGE_DELETE);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.exchange);
  w.u8((a.ifUnused ? 1 : 0) | (a.noWait ? 2 : 0));
}

/** Writes the payload of exchange.delete-ok: class and method id, then the arguments. */
export function encodeExchangeDeleteOk(w: ByteWriter, _a: ExchangeDeleteOkInit): void {
  w.u32(EXCHANGE_DELETE_OK);
}

/** Writes the payload of exchange.bind: class and method id, then the arguments. */
export function encodeExchangeBind(w: ByteWriter, a: ExchangeBindInit): void {
  w.u32(EXCHANGE_BIND);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.destination);
  w.shortstr(a.source);
  w.shortstr(a.routingKey);
  w.u8((a.noWait ? 1 : 0));
  writeTable(w, a.arguments ?? EMPTY_TABLE);
}

/** Writes the payload of exchange.bind-ok: class and method id, then the arguments. */
export function encodeExchangeBindOk(w: ByteWriter, _a: ExchangeBindOkInit): void {
  w.u32(EXCHANGE_BIND_OK);
}

/** Writes the payload of exchange.unbind: class and method id, then the arguments. */
export function encodeExchangeUnbind(w: ByteWriter, a: ExchangeUnbindInit): void {
  w.u32(EXCHANGE_UNBIND);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.destination);
  w.shortstr(a.source);
  w.shortstr(a.routingKey);
  w.u8((a.noWait ? 1 : 0));
  writeTable(w, a.arguments ?? EMPTY_TABLE);
}

/** Writes the payload of exchange.unbind-ok: class and method id, then the arguments. */
export function encodeExchangeUnbindOk(w: ByteWriter, _a: ExchangeUnbindOkInit): void {
  w.u32(EXCHANGE_UNBIND_OK);
}

/** Writes the payload of queue.declare: class and method id, then the arguments. */
export function encodeQueueDeclare(w: ByteWriter, a: QueueDeclareInit): void {
  w.u32(QUEUE_DECLARE);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.queue);
  w.u8((a.passive ? 1 : 0) | (a.durable ? 2 : 0) | (a.exclusive ? 4 : 0) | (a.autoDelete ? 8 : 0) | (a.noWait ? 16 : 0));
  writeTable(w, a.arguments ?? EMPTY_TABLE);
}

/** Writes the payload of queue.declare-ok: class and method id, then the arguments. */
export function encodeQueueDeclareOk(w: ByteWriter, a: QueueDeclareOkInit): void {
  w.u32(QUEUE_DECLARE_OK);
  w.shortstr(a.queue);
  w.u32(a.messageCount);
  w.u32(a.consumerCount);
}

/** Writes the payload of queue.bind: class and method id, then the arguments. */
export function encodeQueueBind(w: ByteWriter, a: QueueBindInit): void {
  w.u32(QUEUE_BIND);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.queue);
  w.shortstr(a.exchange);
  w.shortstr(a.routingKey);
  w.u8((a.noWait ? 1 : 0));
  writeTable(w, a.arguments ?? EMPTY_TABLE);
}

/** Writes the payload of queue.bind-ok: class and method id, then the arguments. */
export function encodeQueueBindOk(w: ByteWriter, _a: QueueBindOkInit): void {
  w.u32(QUEUE_BIND_OK);
}

/** Writes the payload of queue.unbind: class and method id, then the arguments. */
export function encodeQueueUnbind(w: ByteWriter, a: QueueUnbindInit): void {
  w.u32(QUEUE_UNBIND);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.queue);
  w.shortstr(a.exchange);
  w.shortstr(a.routingKey);
  writeTable(w, a.arguments ?? EMPTY_TABLE);
}

/** Writes the payload of queue.unbind-ok: class and method id, then the arguments. */
export function encodeQueueUnbindOk(w: ByteWriter, _a: QueueUnbindOkInit): void {
  w.u32(QUEUE_UNBIND_OK);
}

/** Writes the payload of queue.purge: class and method id, then the arguments. */
export function encodeQueuePurge(w: ByteWriter, a: QueuePurgeInit): void {
  w.u32(QUEUE_PURGE);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.queue);
  w.u8((a.noWait ? 1 : 0));
}

/** Writes the payload of queue.purge-ok: class and method id, then the arguments. */
export function encodeQueuePurgeOk(w: ByteWriter, a: QueuePurgeOkInit): void {
  w.u32(QUEUE_PURGE_OK);
  w.u32(a.messageCount);
}

/** Writes the payload of queue.delete: class and method id, then the arguments. */
export function encodeQueueDelete(w: ByteWriter, a: QueueDeleteInit): void {
  w.u32(QUEUE_DELETE);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.queue);
  w.u8((a.ifUnused ? 1 : 0) | (a.ifEmpty ? 2 : 0) | (a.noWait ? 4 : 0));
}

/** Writes the payload of queue.delete-ok: class and method id, then the arguments. */
export function encodeQueueDeleteOk(w: ByteWriter, a: QueueDeleteOkInit): void {
  w.u32(QUEUE_DELETE_OK);
  w.u32(a.messageCount);
}

/** Writes the payload of basic.qos: class and method id, then the arguments. */
export function encodeBasicQos(w: ByteWriter, a: BasicQosInit): void {
  w.u32(BASIC_QOS);
  w.u32(a.prefetchSize);
  w.u16(a.prefetchCount);
  w.u8((a.global ? 1 : 0));
}

/** Writes the payload of basic.qos-ok: class and method id, then the arguments. */
export function encodeBasicQosOk(w: ByteWriter, _a: BasicQosOkInit): void {
  w.u32(BASIC_QOS_OK);
}

/** Writes the payload of basic.consume: class and method id, then the arguments. */
export function encodeBasicConsume(w: ByteWriter, a: BasicConsumeInit): void {
  w.u32(BASIC_CONSUME);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.queue);
  w.shortstr(a.consumerTag);
  w.u8((a.noLocal ? 1 : 0) | (a.noAck ? 2 : 0) | (a.exclusive ? 4 : 0) | (a.noWait ? 8 : 0));
  writeTable(w, a.arguments ?? EMPTY_TABLE);
}

/** Writes the payload of basic.consume-ok: class and method id, then the arguments. */
export function encodeBasicConsumeOk(w: ByteWriter, a: BasicConsumeOkInit): void {
  w.u32(BASIC_CONSUME_OK);
  w.shortstr(a.consumerTag);
}

/** Writes the payload of basic.cancel: class and method id, then the arguments. */
export function encodeBasicCancel(w: ByteWriter, a: BasicCancelInit): void {
  w.u32(BASIC_CANCEL);
  w.shortstr(a.consumerTag);
  w.u8((a.noWait ? 1 : 0));
}

/** Writes the payload of basic.cancel-ok: class and method id, then the arguments. */
export function encodeBasicCancelOk(w: ByteWriter, a: BasicCancelOkInit): void {
  w.u32(BASIC_CANCEL_OK);
  w.shortstr(a.consumerTag);
}

/** Writes the payload of basic.publish: class and method id, then the arguments. */
export function encodeBasicPublish(w: ByteWriter, a: BasicPublishInit): void {
  w.u32(BASIC_PUBLISH);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.exchange);
  w.shortstr(a.routingKey);
  w.u8((a.mandatory ? 1 : 0) | (a.immediate ? 2 : 0));
}

/** Writes the payload of basic.return: class and method id, then the arguments. */
export function encodeBasicReturn(w: ByteWriter, a: BasicReturnInit): void {
  w.u32(BASIC_RETURN);
  w.u16(a.replyCode);
  w.shortstr(a.replyText);
  w.shortstr(a.exchange);
  w.shortstr(a.routingKey);
}

/** Writes the payload of basic.deliver: class and method id, then the arguments. */
export function encodeBasicDeliver(w: ByteWriter, a: BasicDeliverInit): void {
  w.u32(BASIC_DELIVER);
  w.shortstr(a.consumerTag);
  w.u64(a.deliveryTag);
  w.u8((a.redelivered ? 1 : 0));
  w.shortstr(a.exchange);
  w.shortstr(a.routingKey);
}

/** Writes the payload of basic.get: class and method id, then the arguments. */
export function encodeBasicGet(w: ByteWriter, a: BasicGetInit): void {
  w.u32(BASIC_GET);
  w.u16(a.reserved1 ?? 0);
  w.shortstr(a.queue);
  w.u8((a.noAck ? 1 : 0));
}

/** Writes the payload of basic.get-ok: class and method id, then the arguments. */
export function encodeBasicGetOk(w: ByteWriter, a: BasicGetOkInit): void {
  w.u32(BASIC_GET_OK);
  w.u64(a.deliveryTag);
  w.u8((a.redelivered ? 1 : 0));
  w.shortstr(a.exchange);
  w.shortstr(a.routingKey);
  w.u32(a.messageCount);
}

/** Writes the payload of basic.get-empty: class and method id, then the arguments. */
export function encodeBasicGetEmpty(w: ByteWriter, a: BasicGetEmptyInit): void {
  w.u32(BASIC_GET_EMPTY);
  w.shortstr(a.reserved1 ?? '');
}

/** Writes the payload of basic.ack: class and method id, then the arguments. */
export function encodeBasicAck(w: ByteWriter, a: BasicAckInit): void {
  w.u32(BASIC_ACK);
  w.u64(a.deliveryTag);
  w.u8((a.multiple ? 1 : 0));
}

/** Writes the payload of basic.reject: class and method id, then the arguments. */
export function encodeBasicReject(w: ByteWriter, a: BasicRejectInit): void {
  w.u32(BASIC_REJECT);
  w.u64(a.deliveryTag);
  w.u8((a.requeue ? 1 : 0));
}

/** Writes the payload of basic.recover-async: class and method id, then the arguments. */
export function encodeBasicRecoverAsync(w: ByteWriter, a: BasicRecoverAsyncInit): void {
  w.u32(BASIC_RECOVER_ASYNC);
  w.u8((a.requeue ? 1 : 0));
}

/** Writes the payload of basic.recover: class and method id, then the arguments. */
export function encodeBasicRecover(w: ByteWriter, a: BasicRecoverInit): void {
  w.u32(BASIC_RECOVER);
  w.u8((a.requeue ? 1 : 0));
}

/** Writes the payload of basic.recover-ok: class and method id, then the arguments. */
export function encodeBasicRecoverOk(w: ByteWriter, _a: BasicRecoverOkInit): void {
  w.u32(BASIC_RECOVER_OK);
}

/** Writes the payload of basic.nack: class and method id, then the arguments. */
export function encodeBasicNack(w: ByteWriter, a: BasicNackInit): void {
  w.u32(BASIC_NACK);
  w.u64(a.deliveryTag);
  w.u8((a.multiple ? 1 : 0) | (a.requeue ? 2 : 0));
}

/** Writes the payload of tx.select: class and method id, then the arguments. */
export function encodeTxSelect(w: ByteWriter, _a: TxSelectInit): void {
  w.u32(TX_SELECT);
}

/** Writes the payload of tx.select-ok: class and method id, then the arguments. */
export function encodeTxSelectOk(w: ByteWriter, _a: TxSelectOkInit): void {
  w.u32(TX_SELECT_OK);
}

/** Writes the payload of tx.commit: class and method id, then the arguments. */
export function encodeTxCommit(w: ByteWriter, _a: TxCommitInit): void {
  w.u32(TX_COMMIT);
}

/** Writes the payload of tx.commit-ok: class and method id, then the arguments. */
export function encodeTxCommitOk(w: ByteWriter, _a: TxCommitOkInit): void {
  w.u32(TX_COMMIT_OK);
}

/** Writes the payload of tx.rollback: class and method id, then the arguments. */
export function encodeTxRollback(w: ByteWriter, _a: TxRollbackInit): void {
  w.u32(TX_ROLLBACK);
}

/** Writes the payload of tx.rollback-ok: class and method id, then the arguments. */
export function encodeTxRollbackOk(w: ByteWriter, _a: TxRollbackOkInit): void {
  w.u32(TX_ROLLBACK_OK);
}

/** Writes the payload of confirm.select: class and method id, then the arguments. */
export function encodeConfirmSelect(w: ByteWriter, a: ConfirmSelectInit): void {
  w.u32(CONFIRM_SELECT);
  w.u8((a.nowait ? 1 : 0));
}

/** Writes the payload of confirm.select-ok: class and method id, then the arguments. */
export function encodeConfirmSelectOk(w: ByteWriter, _a: ConfirmSelectOkInit): void {
  w.u32(CONFIRM_SELECT_OK);
}

type Encoder = (w: ByteWriter, a: never) => void;
const ENCODERS: ReadonlyMap<number, Encoder> = new Map<number, Encoder>([
  [CONNECTION_START, encodeConnectionStart],
  [CONNECTION_START_OK, encodeConnectionStartOk],
  [CONNECTION_SECURE, encodeConnectionSecure],
  [CONNECTION_SECURE_OK, encodeConnectionSecureOk],
  [CONNECTION_TUNE, encodeConnectionTune],
  [CONNECTION_TUNE_OK, encodeConnectionTuneOk],
  [CONNECTION_OPEN, encodeConnectionOpen],
  [CONNECTION_OPEN_OK, encodeConnectionOpenOk],
  [CONNECTION_CLOSE, encodeConnectionClose],
  [CONNECTION_CLOSE_OK, encodeConnectionCloseOk],
  [CONNECTION_BLOCKED, encodeConnectionBlocked],
  [CONNECTION_UNBLOCKED, encodeConnectionUnblocked],
  [CONNECTION_UPDATE_SECRET, encodeConnectionUpdateSecret],
  [CONNECTION_UPDATE_SECRET_OK, encodeConnectionUpdateSecretOk],
  [CHANNEL_OPEN, encodeChannelOpen],
  [CHANNEL_OPEN_OK, encodeChannelOpenOk],
  [CHANNEL_FLOW, encodeChannelFlow],
  [CHANNEL_FLOW_OK, encodeChannelFlowOk],
  [CHANNEL_CLOSE, encodeChannelClose],
  [CHANNEL_CLOSE_OK, encodeChannelCloseOk],
  [EXCHANGE_DECLARE, encodeExchangeDeclare],
  [EXCHANGE_DECLARE_OK, encodeExchangeDeclareOk],
  [EXCHANGE_DELETE, encodeExchangeDelete],
  [EXCHANGE_DELETE_OK, encodeExchangeDeleteOk],
  [EXCHANGE_BIND, encodeExchangeBind],
  [EXCHANGE_BIND_OK, encodeExchangeBindOk],
  [EXCHANGE_UNBIND, encodeExchangeUnbind],
  [EXCHANGE_UNBIND_OK, encodeExchangeUnbindOk],
  [QUEUE_DECLARE, encodeQueueDeclare],
  [QUEUE_DECLARE_OK, encodeQueueDeclareOk],
  [QUEUE_BIND, encodeQueueBind],
  [QUEUE_BIND_OK, encodeQueueBindOk],
  [QUEUE_UNBIND, encodeQueueUnbind],
  [QUEUE_UNBIND_OK, encodeQueueUnbindOk],
  [QUEUE_PURGE, encodeQueuePurge],
  [QUEUE_PURGE_OK, encodeQueuePurgeOk],
  [QUEUE_DELETE, encodeQueueDelete],
  [QUEUE_DELETE_OK, encodeQueueDeleteOk],
  [BASIC_QOS, encodeBasicQos],
  [BASIC_QOS_OK, encodeBasicQosOk],
  [BASIC_CONSUME, encodeBasicConsume],
  [BASIC_CONSUME_OK, encodeBasicConsumeOk],
  [BASIC_CANCEL, encodeBasicCancel],
  [BASIC_CANCEL_OK, encodeBasicCancelOk],
  [BASIC_PUBLISH, encodeBasicPublish],
  [BASIC_RETURN, encodeBasicReturn],
  [BASIC_DELIVER, encodeBasicDeliver],
  [BASIC_GET, encodeBasicGet],
  [BASIC_GET_OK, encodeBasicGetOk],
  [BASIC_GET_EMPTY, encodeBasicGetEmpty],
  [BASIC_ACK, encodeBasicAck],
  [BASIC_REJECT, encodeBasicReject],
  [BASIC_RECOVER_ASYNC, encodeBasicRecoverAsync],
  [BASIC_RECOVER, encodeBasicRecover],
  [BASIC_RECOVER_OK, encodeBasicRecoverOk],
  [BASIC_NACK, encodeBasicNack],
  [TX_SELECT, encodeTxSelect],
  [TX_SELECT_OK, encodeTxSelectOk],
  [TX_COMMIT, encodeTxCommit],
  [TX_COMMIT_OK, encodeTxCommitOk],
  [TX_ROLLBACK, encodeTxRollback],
  [TX_ROLLBACK_OK, encodeTxRollbackOk],
  [CONFIRM_SELECT, encodeConfirmSelect],
  [CONFIRM_SELECT_OK, encodeConfirmSelectOk],
]);

/** Writes any method's payload by id. */
export function encodeMethod<K extends keyof MethodInitById>(w: ByteWriter, id: K, args: MethodInitById[K]): void {
  const encode = ENCODERS.get(id);
  if (!encode) throw new RangeError(`no encoder for method id ${id}`);
  (encode as (w: ByteWriter, a: MethodInitById[K]) => void)(w, args);
}
