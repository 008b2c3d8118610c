// generated — do not edit. Source: protocol/amqp-0-9-1.json, by protocol/generate.mjs
// (npm run gen:protocol).

import type { FieldTable } from '../field-table.js';
import type { CONNECTION_START, CONNECTION_START_OK, CONNECTION_SECURE, CONNECTION_SECURE_OK, CONNECTION_TUNE, CONNECTION_TUNE_OK, CONNECTION_OPEN, CONNECTION_OPEN_OK, CONNECTION_CLOSE, CONNECTION_CLOSE_OK, CONNECTION_BLOCKED, CONNECTION_UNBLOCKED, CONNECTION_UPDATE_SECRET, CONNECTION_UPDATE_SECRET_OK, CHANNEL_OPEN, CHANNEL_OPEN_OK, CHANNEL_FLOW, CHANNEL_FLOW_OK, CHANNEL_CLOSE, CHANNEL_CLOSE_OK, EXCHANGE_DECLARE, EXCHANGE_DECLARE_OK, EXCHANGE_DELETE, EXCHANGE_DELETE_OK, EXCHANGE_BIND, EXCHANGE_BIND_OK, EXCHANGE_UNBIND, EXCHANGE_UNBIND_OK, QUEUE_DECLARE, QUEUE_DECLARE_OK, QUEUE_BIND, QUEUE_BIND_OK, QUEUE_UNBIND, QUEUE_UNBIND_OK, QUEUE_PURGE, QUEUE_PURGE_OK, QUEUE_DELETE, QUEUE_DELETE_OK, BASIC_QOS, BASIC_QOS_OK, BASIC_CONSUME, BASIC_CONSUME_OK, BASIC_CANCEL, BASIC_CANCEL_OK, BASIC_PUBLISH, BASIC_RETURN, BASIC_DELIVER, BASIC_GET, BASIC_GET_OK, BASIC_GET_EMPTY, BASIC_ACK, BASIC_REJECT, BASIC_RECOVER_ASYNC, BASIC_RECOVER, BASIC_RECOVER_OK, BASIC_NACK, TX_SELECT, TX_SELECT_OK, TX_COMMIT, TX_COMMIT_OK, TX_ROLLBACK, TX_ROLLBACK_OK, CONFIRM_SELECT, CONFIRM_SELECT_OK } from './protocol.js';

/** connection.start as decoded. */
export interface ConnectionStartArgs {
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly serverProperties: FieldTable;
  readonly mechanisms: Buffer;
  readonly locales: Buffer;
}
/** connection.start as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionStartInit {
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly serverProperties?: FieldTable;
  readonly mechanisms: Buffer | string;
  readonly locales: Buffer | string;
}

/** connection.start-ok as decoded. */
export interface ConnectionStartOkArgs {
  readonly clientProperties: FieldTable;
  readonly mechanism: string;
  readonly response: Buffer;
  readonly locale: string;
}
/** connection.start-ok as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionStartOkInit {
  readonly clientProperties?: FieldTable;
  readonly mechanism: string;
  readonly response: Buffer | string;
  readonly locale: string;
}

/** connection.secure as decoded. */
export interface ConnectionSecureArgs {
  readonly challenge: Buffer;
}
/** connection.secure as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionSecureInit {
  readonly challenge: Buffer | string;
}

/** connection.secure-ok as decoded. */
export interface ConnectionSecureOkArgs {
  readonly response: Buffer;
}
/** connection.secure-ok as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionSecureOkInit {
  readonly response: Buffer | string;
}

/** connection.tune as decoded. */
export interface ConnectionTuneArgs {
  readonly channelMax: number;
  readonly frameMax: number;
  readonly heartbeat: number;
}
/** connection.tune as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionTuneInit {
  readonly channelMax: number;
  readonly frameMax: number;
  readonly heartbeat: number;
}

/** connection.tune-ok as decoded. */
export interface ConnectionTuneOkArgs {
  readonly channelMax: number;
  readonly frameMax: number;
  readonly heartbeat: number;
}
/** connection.tune-ok as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionTuneOkInit {
  readonly channelMax: number;
  readonly frameMax: number;
  readonly heartbeat: number;
}

/** connection.open as decoded. */
export interface ConnectionOpenArgs {
  readonly virtualHost: string;
  readonly reserved1?: string;
  readonly reserved2?: boolean;
}
/** connection.open as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionOpenInit {
  readonly virtualHost: string;
  readonly reserved1?: string;
  readonly reserved2?: boolean;
}

/** connection.open-ok as decoded. */
export interface ConnectionOpenOkArgs {
  readonly reserved1?: string;
}
/** connection.open-ok as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionOpenOkInit {
  readonly reserved1?: string;
}

/** connection.close as decoded. */
export interface ConnectionCloseArgs {
  readonly replyCode: number;
  readonly replyText: string;
  readonly classId: number;
  readonly methodId: number;
}
/** connection.close as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionCloseInit {
  readonly replyCode: number;
  readonly replyText: string;
  readonly classId: number;
  readonly methodId: number;
}

/** connection.close-ok as decoded. */
export type ConnectionCloseOkArgs = Record<string, never>;
/** connection.close-ok as given to its encoder (reserved fields and tables may be left out). */
export type ConnectionCloseOkInit = Record<string, never>;

/** connection.blocked as decoded. */
export interface ConnectionBlockedArgs {
  readonly reason: string;
}
/** connection.blocked as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionBlockedInit {
  readonly reason: string;
}

/** connection.unblocked as decoded. */
export type ConnectionUnblockedArgs = Record<string, never>;
/** connection.unblocked as given to its encoder (reserved fields and tables may be left out). */
export type ConnectionUnblockedInit = Record<string, never>;

/** connection.update-secret as decoded. */
export interface ConnectionUpdateSecretArgs {
  readonly newSecret: Buffer;
  readonly reason: string;
}
/** connection.update-secret as given to its encoder (reserved fields and tables may be left out). */
export interface ConnectionUpdateSecretInit {
  readonly newSecret: Buffer | string;
  readonly reason: string;
}

/** connection.update-secret-ok as decoded. */
export type ConnectionUpdateSecretOkArgs = Record<string, never>;
/** connection.update-secret-ok as given to its encoder (reserved fields and tables may be left out). */
export type ConnectionUpdateSecretOkInit = Record<string, never>;

/** channel.open as decoded. */
export interface ChannelOpenArgs {
  readonly reserved1?: string;
}
/** channel.open as given to its encoder (reserved fields and tables may be left out). */
export interface ChannelOpenInit {
  readonly reserved1?: string;
}

/** channel.open-ok as decoded. */
export interface ChannelOpenOkArgs {
  readonly reserved1?: Buffer;
}
/** channel.open-ok as given to its encoder (reserved fields and tables may be left out). */
export interface ChannelOpenOkInit {
  readonly reserved1?: Buffer | string;
}

/** channel.flow as decoded. */
export interface ChannelFlowArgs {
  readonly active: boolean;
}
/** channel.flow as given to its encoder (reserved fields and tables may be left out). */
export interface ChannelFlowInit {
  readonly active: boolean;
}

/** channel.flow-ok as decoded. */
export interface ChannelFlowOkArgs {
  readonly active: boolean;
}
/** channel.flow-ok as given to its encoder (reserved fields and tables may be left out). */
export interface ChannelFlowOkInit {
  readonly active: boolean;
}

/** channel.close as decoded. */
export interface ChannelCloseArgs {
  readonly replyCode: number;
  readonly replyText: string;
  readonly classId: number;
  readonly methodId: number;
}
/** channel.close as given to its encoder (reserved fields and tables may be left out). */
export interface ChannelCloseInit {
  readonly replyCode: number;
  readonly replyText: string;
  readonly classId: number;
  readonly methodId: number;
}

/** channel.close-ok as decoded. */
export type ChannelCloseOkArgs = Record<string, never>;
/** channel.close-ok as given to its encoder (reserved fields and tables may be left out). */
export type ChannelCloseOkInit = Record<string, never>;

/** exchange.declare as decoded. */
export interface ExchangeDeclareArgs {
  readonly reserved1?: number;
  readonly exchange: string;
  readonly type: string;
  readonly passive: boolean;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly noWait: boolean;
  readonly arguments: FieldTable;
}
/** exchange.declare as given to its encoder (reserved fields and tables may be left out). */
export interface ExchangeDeclareInit {
  readonly reserved1?: number;
  readonly exchange: string;
  readonly type: string;
  readonly passive: boolean;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly noWait: boolean;
  readonly arguments?: FieldTable;
}

/** exchange.declare-ok as decoded. */
export type ExchangeDeclareOkArgs = Record<string, never>;
/** exchange.declare-ok as given to its encoder (reserved fields and tables may be left out). */
export type ExchangeDeclareOkInit = Record<string, never>;

/** exchange.delete as decoded. */
export interface ExchangeDeleteArgs {
  readonly reserved1?: number;
  readonly exchange: string;
  readonly ifUnused: boolean;
  readonly noWait: boolean;
}
/** exchange.delete as given to its encoder (reserved fields and tables may be left out). */
export interface ExchangeDeleteInit {
  readonly reserved1?: number;
  readonly exchange: string;
  readonly ifUnused: boolean;
  readonly noWait: boolean;
}

/** exchange.delete-ok as decoded. */
export type ExchangeDeleteOkArgs = Record<string, never>;
/** exchange.delete-ok as given to its encoder (reserved fields and tables may be left out). */
export type ExchangeDeleteOkInit = Record<string, never>;

/** exchange.bind as decoded. */
export interface ExchangeBindArgs {
  readonly reserved1?: number;
  readonly destination: string;
  readonly source: string;
  readonly routingKey: string;
  readonly noWait: boolean;
  readonly arguments: FieldTable;
}
/** exchange.bind as given to its encoder (reserved fields and tables may be left out). */
export interface ExchangeBindInit {
  readonly reserved1?: number;
  readonly destination: string;
  readonly source: string;
  readonly routingKey: string;
  readonly noWait: boolean;
  readonly arguments?: FieldTable;
}

/** exchange.bind-ok as decoded. */
export type ExchangeBindOkArgs = Record<string, never>;
/** exchange.bind-ok as given to its encoder (reserved fields and tables may be left out). */
export type ExchangeBindOkInit = Record<string, never>;

/** exchange.unbind as decoded. */
export interface ExchangeUnbindArgs {
  readonly reserved1?: number;
  readonly destination: string;
  readonly source: string;
  readonly routingKey: string;
  readonly noWait: boolean;
  readonly arguments: FieldTable;
}
/** exchange.unbind as given to its encoder (reserved fields and tables may be left out). */
export interface ExchangeUnbindInit {
  readonly reserved1?: number;
  readonly destination: string;
  readonly source: string;
  readonly routingKey: string;
  readonly noWait: boolean;
  readonly arguments?: FieldTable;
}

/** exchange.unbind-ok as decoded. */
export type ExchangeUnbindOkArgs = Record<string, never>;
/** exchange.unbind-ok as given to its encoder (reserved fields and tables may be left out). */
export type ExchangeUnbindOkInit = Record<string, never>;

/** queue.declare as decoded. */
export interface QueueDeclareArgs {
  readonly reserved1?: number;
  readonly queue: string;
  readonly passive: boolean;
  readonly durable: boolean;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
  readonly noWait: boolean;
  readonly arguments: FieldTable;
}
/** queue.declare as given to its encoder (reserved fields and tables may be left out). */
export interface QueueDeclareInit {
  readonly reserved1?: number;
  readonly queue: string;
  readonly passive: boolean;
  readonly durable: boolean;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
  readonly noWait: boolean;
  readonly arguments?: FieldTable;
}

/** queue.declare-ok as decoded. */
export interface QueueDeclareOkArgs {
  readonly queue: string;
  readonly messageCount: number;
  readonly consumerCount: number;
}
/** queue.declare-ok as given to its encoder (reserved fields and tables may be left out). */
export interface QueueDeclareOkInit {
  readonly queue: string;
  readonly messageCount: number;
  readonly consumerCount: number;
}

/** queue.bind as decoded. */
export interface QueueBindArgs {
  readonly reserved1?: number;
  readonly queue: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly noWait: boolean;
  readonly arguments: FieldTable;
}
/** queue.bind as given to its encoder (reserved fields and tables may be left out). */
export interface QueueBindInit {
  readonly reserved1?: number;
  readonly queue: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly noWait: boolean;
  readonly arguments?: FieldTable;
}

/** queue.bind-ok as decoded. */
export type QueueBindOkArgs = Record<string, never>;
/** queue.bind-ok as given to its encoder (reserved fields and tables may be left out). */
export type QueueBindOkInit = Record<string, never>;

/** queue.unbind as decoded. */
export interface QueueUnbindArgs {
  readonly reserved1?: number;
  readonly queue: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly arguments: FieldTable;
}
/** queue.unbind as given to its encoder (reserved fields and tables may be left out). */
export interface QueueUnbindInit {
  readonly reserved1?: number;
  readonly queue: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly arguments?: FieldTable;
}

/** queue.unbind-ok as decoded. */
export type QueueUnbindOkArgs = Record<string, never>;
/** queue.unbind-ok as given to its encoder (reserved fields and tables may be left out). */
export type QueueUnbindOkInit = Record<string, never>;

/** queue.purge as decoded. */
export interface QueuePurgeArgs {
  readonly reserved1?: number;
  readonly queue: string;
  readonly noWait: boolean;
}
/** queue.purge as given to its encoder (reserved fields and tables may be left out). */
export interface QueuePurgeInit {
  readonly reserved1?: number;
  readonly queue: string;
  readonly noWait: boolean;
}

/** queue.purge-ok as decoded. */
export interface QueuePurgeOkArgs {
  readonly messageCount: number;
}
/** queue.purge-ok as given to its encoder (reserved fields and tables may be left out). */
export interface QueuePurgeOkInit {
  readonly messageCount: number;
}

/** queue.delete as decoded. */
export interface QueueDeleteArgs {
  readonly reserved1?: number;
  readonly queue: string;
  readonly ifUnused: boolean;
  readonly ifEmpty: boolean;
  readonly noWait: boolean;
}
/** queue.delete as given to its encoder (reserved fields and tables may be left out). */
export interface QueueDeleteInit {
  readonly reserved1?: number;
  readonly queue: string;
  readonly ifUnused: boolean;
  readonly ifEmpty: boolean;
  readonly noWait: boolean;
}

/** queue.delete-ok as decoded. */
export interface QueueDeleteOkArgs {
  readonly messageCount: number;
}
/** queue.delete-ok as given to its encoder (reserved fields and tables may be left out). */
export interface QueueDeleteOkInit {
  readonly messageCount: number;
}

/** basic.qos as decoded. */
export interface BasicQosArgs {
  readonly prefetchSize: number;
  readonly prefetchCount: number;
  readonly global: boolean;
}
/** basic.qos as given to its encoder (reserved fields and tables may be left out). */
export interface BasicQosInit {
  readonly prefetchSize: number;
  readonly prefetchCount: number;
  readonly global: boolean;
}

/** basic.qos-ok as decoded. */
export type BasicQosOkArgs = Record<string, never>;
/** basic.qos-ok as given to its encoder (reserved fields and tables may be left out). */
export type BasicQosOkInit = Record<string, never>;

/** basic.consume as decoded. */
export interface BasicConsumeArgs {
  readonly reserved1?: number;
  readonly queue: string;
  readonly consumerTag: string;
  readonly noLocal: boolean;
  readonly noAck: boolean;
  readonly exclusive: boolean;
  readonly noWait: boolean;
  readonly arguments: FieldTable;
}
/** basic.consume as given to its encoder (reserved fields and tables may be left out). */
export interface BasicConsumeInit {
  readonly reserved1?: number;
  readonly queue: string;
  readonly consumerTag: string;
  readonly noLocal: boolean;
  readonly noAck: boolean;
  readonly exclusive: boolean;
  readonly noWait: boolean;
  readonly arguments?: FieldTable;
}

/** basic.consume-ok as decoded. */
export interface BasicConsumeOkArgs {
  readonly consumerTag: string;
}
/** basic.consume-ok as given to its encoder (reserved fields and tables may be left out). */
export interface BasicConsumeOkInit {
  readonly consumerTag: string;
}

/** basic.cancel as decoded. */
export interface BasicCancelArgs {
  readonly consumerTag: string;
  readonly noWait: boolean;
}
/** basic.cancel as given to its encoder (reserved fields and tables may be left out). */
export interface BasicCancelInit {
  readonly consumerTag: string;
  readonly noWait: boolean;
}

/** basic.cancel-ok as decoded. */
export interface BasicCancelOkArgs {
  readonly consumerTag: string;
}
/** basic.cancel-ok as given to its encoder (reserved fields and tables may be left out). */
export interface BasicCancelOkInit {
  readonly consumerTag: string;
}

/** basic.publish as decoded. */
export interface BasicPublishArgs {
  readonly reserved1?: number;
  readonly exchange: string;
  readonly routingKey: string;
  readonly mandatory: boolean;
  readonly immediate: boolean;
}
/** basic.publish as given to its encoder (reserved fields and tables may be left out). */
export interface BasicPublishInit {
  readonly reserved1?: number;
  readonly exchange: string;
  readonly routingKey: string;
  readonly mandatory: boolean;
  readonly immediate: boolean;
}

/** basic.return as decoded. */
export interface BasicReturnArgs {
  readonly replyCode: number;
  readonly replyText: string;
  readonly exchange: string;
  readonly routingKey: string;
}
/** basic.return as given to its encoder (reserved fields and tables may be left out). */
export interface BasicReturnInit {
  readonly replyCode: number;
  readonly replyText: string;
  readonly exchange: string;
  readonly routingKey: string;
}

/** basic.deliver as decoded. */
export interface BasicDeliverArgs {
  readonly consumerTag: string;
  readonly deliveryTag: number;
  readonly redelivered: boolean;
  readonly exchange: string;
  readonly routingKey: string;
}
/** basic.deliver as given to its encoder (reserved fields and tables may be left out). */
export interface BasicDeliverInit {
  readonly consumerTag: string;
  readonly deliveryTag: number;
  readonly redelivered: boolean;
  readonly exchange: string;
  readonly routingKey: string;
}

/** basic.get as decoded. */
export interface BasicGetArgs {
  readonly reserved1?: number;
  readonly queue: string;
  readonly noAck: boolean;
}
/** basic.get as given to its encoder (reserved fields and tables may be left out). */
export interface BasicGetInit {
  readonly reserved1?: number;
  readonly queue: string;
  readonly noAck: boolean;
}

/** basic.get-ok as decoded. */
export interface BasicGetOkArgs {
  readonly deliveryTag: number;
  readonly redelivered: boolean;
  readonly exchange: string;
  readonly routingKey: string;
  readonly messageCount: number;
}
/** basic.get-ok as given to its encoder (reserved fields and tables may be left out). */
export interface BasicGetOkInit {
  readonly deliveryTag: number;
  readonly redelivered: boolean;
  readonly exchange: string;
  readonly routingKey: string;
  readonly messageCount: number;
}

/** basic.get-empty as decoded. */
export interface BasicGetEmptyArgs {
  readonly reserved1?: string;
}
/** basic.get-empty as given to its encoder (reserved fields and tables may be left out). */
export interface BasicGetEmptyInit {
  readonly reserved1?: string;
}

/** basic.ack as decoded. */
export interface BasicAckArgs {
  readonly deliveryTag: number;
  readonly multiple: boolean;
}
/** basic.ack as given to its encoder (reserved fields and tables may be left out). */
export interface BasicAckInit {
  readonly deliveryTag: number;
  readonly multiple: boolean;
}

/** basic.reject as decoded. */
export interface BasicRejectArgs {
  readonly deliveryTag: number;
  readonly requeue: boolean;
}
/** basic.reject as given to its encoder (reserved fields and tables may be left out). */
export interface BasicRejectInit {
  readonly deliveryTag: number;
  readonly requeue: boolean;
}

/** basic.recover-async as decoded. */
export interface BasicRecoverAsyncArgs {
  readonly requeue: boolean;
}
/** basic.recover-async as given to its encoder (reserved fields and tables may be left out). */
export interface BasicRecoverAsyncInit {
  readonly requeue: boolean;
}

/** basic.recover as decoded. */
export interface BasicRecoverArgs {
  readonly requeue: boolean;
}
/** basic.recover as given to its encoder (reserved fields and tables may be left out). */
export interface BasicRecoverInit {
  readonly requeue: boolean;
}

/** basic.recover-ok as decoded. */
export type BasicRecoverOkArgs = Record<string, never>;
/** basic.recover-ok as given to its encoder (reserved fields and tables may be left out). */
export type BasicRecoverOkInit = Record<string, never>;

/** basic.nack as decoded. */
export interface BasicNackArgs {
  readonly deliveryTag: number;
  readonly multiple: boolean;
  readonly requeue: boolean;
}
/** basic.nack as given to its encoder (reserved fields and tables may be left out). */
export interface BasicNackInit {
  readonly deliveryTag: number;
  readonly multiple: boolean;
  readonly requeue: boolean;
}

/** tx.select as decoded. */
export type TxSelectArgs = Record<string, never>;
/** tx.select as given to its encoder (reserved fields and tables may be left out). */
export type TxSelectInit = Record<string, never>;

/** tx.select-ok as decoded. */
export type TxSelectOkArgs = Record<string, never>;
/** tx.select-ok as given to its encoder (reserved fields and tables may be left out). */
export type TxSelectOkInit = Record<string, never>;

/** tx.commit as decoded. */
export type TxCommitArgs = Record<string, never>;
/** tx.commit as given to its encoder (reserved fields and tables may be left out). */
export type TxCommitInit = Record<string, never>;

/** tx.commit-ok as decoded. */
export type TxCommitOkArgs = Record<string, never>;
/** tx.commit-ok as given to its encoder (reserved fields and tables may be left out). */
export type TxCommitOkInit = Record<string, never>;

/** tx.rollback as decoded. */
export type TxRollbackArgs = Record<string, never>;
/** tx.rollback as given to its encoder (reserved fields and tables may be left out). */
export type TxRollbackInit = Record<string, never>;

/** tx.rollback-ok as decoded. */
export type TxRollbackOkArgs = Record<string, never>;
/** tx.rollback-ok as given to its encoder (reserved fields and tables may be left out). */
export type TxRollbackOkInit = Record<string, never>;

/** confirm.select as decoded. */
export interface ConfirmSelectArgs {
  readonly nowait: boolean;
}
/** confirm.select as given to its encoder (reserved fields and tables may be left out). */
export interface ConfirmSelectInit {
  readonly nowait: boolean;
}

/** confirm.select-ok as decoded. */
export type ConfirmSelectOkArgs = Record<string, never>;
/** confirm.select-ok as given to its encoder (reserved fields and tables may be left out). */
export type ConfirmSelectOkInit = Record<string, never>;

/** Decoded arguments by method id. */
export interface MethodArgsById {
  [655370]: ConnectionStartArgs;
  [655371]: ConnectionStartOkArgs;
  [655380]: ConnectionSecureArgs;
  [655381]: ConnectionSecureOkArgs;
  [655390]: ConnectionTuneArgs;
  [655391]: ConnectionTuneOkArgs;
  [655400]: ConnectionOpenArgs;
  [655401]: ConnectionOpenOkArgs;
  [655410]: ConnectionCloseArgs;
  [655411]: ConnectionCloseOkArgs;
  [655420]: ConnectionBlockedArgs;
  [655421]: ConnectionUnblockedArgs;
  [655430]: ConnectionUpdateSecretArgs;
  [655431]: ConnectionUpdateSecretOkArgs;
  [1310730]: ChannelOpenArgs;
  [1310731]: ChannelOpenOkArgs;
  [1310740]: ChannelFlowArgs;
  [1310741]: ChannelFlowOkArgs;
  [1310760]: ChannelCloseArgs;
  [1310761]: ChannelCloseOkArgs;
  [2621450]: ExchangeDeclareArgs;
  [2621451]: ExchangeDeclareOkArgs;
  [2621460]: ExchangeDeleteArgs;
  [2621461]: ExchangeDeleteOkArgs;
  [2621470]: ExchangeBindArgs;
  [2621471]: ExchangeBindOkArgs;
  [2621480]: ExchangeUnbindArgs;
  [2621491]: ExchangeUnbindOkArgs;
  [3276810]: QueueDeclareArgs;
  [3276811]: QueueDeclareOkArgs;
  [3276820]: QueueBindArgs;
  [3276821]: QueueBindOkArgs;
  [3276850]: QueueUnbindArgs;
  [3276851]: QueueUnbindOkArgs;
  [3276830]: QueuePurgeArgs;
  [3276831]: QueuePurgeOkArgs;
  [3276840]: QueueDeleteArgs;
  [3276841]: QueueDeleteOkArgs;
  [3932170]: BasicQosArgs;
  [3932171]: BasicQosOkArgs;
  [3932180]: BasicConsumeArgs;
  [3932181]: BasicConsumeOkArgs;
  [3932190]: BasicCancelArgs;
  [3932191]: BasicCancelOkArgs;
  [3932200]: BasicPublishArgs;
  [3932210]: BasicReturnArgs;
  [3932220]: BasicDeliverArgs;
  [3932230]: BasicGetArgs;
  [3932231]: BasicGetOkArgs;
  [3932232]: BasicGetEmptyArgs;
  [3932240]: BasicAckArgs;
  [3932250]: BasicRejectArgs;
  [3932260]: BasicRecoverAsyncArgs;
  [3932270]: BasicRecoverArgs;
  [3932271]: BasicRecoverOkArgs;
  [3932280]: BasicNackArgs;
  [5898250]: TxSelectArgs;
  [5898251]: TxSelectOkArgs;
  [5898260]: TxCommitArgs;
  [5898261]: TxCommitOkArgs;
  [5898270]: TxRollbackArgs;
  [5898271]: TxRollbackOkArgs;
  [5570570]: ConfirmSelectArgs;
  [5570571]: ConfirmSelectOkArgs;
}
/** Encoder inputs by method id. */
export interface MethodInitById {
  [655370]: ConnectionStartInit;
  [655371]: ConnectionStartOkInit;
  [655380]: ConnectionSecureInit;
  [655381]: ConnectionSecureOkInit;
  [655390]: ConnectionTuneInit;
  [655391]: ConnectionTuneOkInit;
  [655400]: ConnectionOpenInit;
  [655401]: ConnectionOpenOkInit;
  [655410]: ConnectionCloseInit;
  [655411]: ConnectionCloseOkInit;
  [655420]: ConnectionBlockedInit;
  [655421]: ConnectionUnblockedInit;
  [655430]: ConnectionUpdateSecretInit;
  [655431]: ConnectionUpdateSecretOkInit;
  [1310730]: ChannelOpenInit;
  [1310731]: ChannelOpenOkInit;
  [1310740]: ChannelFlowInit;
  [1310741]: ChannelFlowOkInit;
  [1310760]: ChannelCloseInit;
  [1310761]: ChannelCloseOkInit;
  [2621450]: ExchangeDeclareInit;
  [2621451]: ExchangeDeclareOkInit;
  [2621460]: ExchangeDeleteInit;
  [2621461]: ExchangeDeleteOkInit;
  [2621470]: ExchangeBindInit;
  [2621471]: ExchangeBindOkInit;
  [2621480]: ExchangeUnbindInit;
  [2621491]: ExchangeUnbindOkInit;
  [3276810]: QueueDeclareInit;
  [3276811]: QueueDeclareOkInit;
  [3276820]: QueueBindInit;
  [3276821]: QueueBindOkInit;
  [3276850]: QueueUnbindInit;
  [3276851]: QueueUnbindOkInit;
  [3276830]: QueuePurgeInit;
  [3276831]: QueuePurgeOkInit;
  [3276840]: QueueDeleteInit;
  [3276841]: QueueDeleteOkInit;
  [3932170]: BasicQosInit;
  [3932171]: BasicQosOkInit;
  [3932180]: BasicConsumeInit;
  [3932181]: BasicConsumeOkInit;
  [3932190]: BasicCancelInit;
  [3932191]: BasicCancelOkInit;
  [3932200]: BasicPublishInit;
  [3932210]: BasicReturnInit;
  [3932220]: BasicDeliverInit;
  [3932230]: BasicGetInit;
  [3932231]: BasicGetOkInit;
  [3932232]: BasicGetEmptyInit;
  [3932240]: BasicAckInit;
  [3932250]: BasicRejectInit;
  [3932260]: BasicRecoverAsyncInit;
  [3932270]: BasicRecoverInit;
  [3932271]: BasicRecoverOkInit;
  [3932280]: BasicNackInit;
  [5898250]: TxSelectInit;
  [5898251]: TxSelectOkInit;
  [5898260]: TxCommitInit;
  [5898261]: TxCommitOkInit;
  [5898270]: TxRollbackInit;
  [5898271]: TxRollbackOkInit;
  [5570570]: ConfirmSelectInit;
  [5570571]: ConfirmSelectOkInit;
}

/** A decoded method: switch on `id` and TypeScript narrows `args`. */
export type Method =
  | { readonly id: typeof CONNECTION_START; readonly args: ConnectionStartArgs }
  | { readonly id: typeof CONNECTION_START_OK; readonly args: ConnectionStartOkArgs }
  | { readonly id: typeof CONNECTION_SECURE; readonly args: ConnectionSecureArgs }
  | { readonly id: typeof CONNECTION_SECURE_OK; readonly args: ConnectionSecureOkArgs }
  | { readonly id: typeof CONNECTION_TUNE; readonly args: ConnectionTuneArgs }
  | { readonly id: typeof CONNECTION_TUNE_OK; readonly args: ConnectionTuneOkArgs }
  | { readonly id: typeof CONNECTION_OPEN; readonly args: ConnectionOpenArgs }
  | { readonly id: typeof CONNECTION_OPEN_OK; readonly args: ConnectionOpenOkArgs }
  | { readonly id: typeof CONNECTION_CLOSE; readonly args: ConnectionCloseArgs }
  | { readonly id: typeof CONNECTION_CLOSE_OK; readonly args: ConnectionCloseOkArgs }
  | { readonly id: typeof CONNECTION_BLOCKED; readonly args: ConnectionBlockedArgs }
  | { readonly id: typeof CONNECTION_UNBLOCKED; readonly args: ConnectionUnblockedArgs }
  | { readonly id: typeof CONNECTION_UPDATE_SECRET; readonly args: ConnectionUpdateSecretArgs }
  | { readonly id: typeof CONNECTION_UPDATE_SECRET_OK; readonly args: ConnectionUpdateSecretOkArgs }
  | { readonly id: typeof CHANNEL_OPEN; readonly args: ChannelOpenArgs }
  | { readonly id: typeof CHANNEL_OPEN_OK; readonly args: ChannelOpenOkArgs }
  | { readonly id: typeof CHANNEL_FLOW; readonly args: ChannelFlowArgs }
  | { readonly id: typeof CHANNEL_FLOW_OK; readonly args: ChannelFlowOkArgs }
  | { readonly id: typeof CHANNEL_CLOSE; readonly args: ChannelCloseArgs }
  | { readonly id: typeof CHANNEL_CLOSE_OK; readonly args: ChannelCloseOkArgs }
  | { readonly id: typeof EXCHANGE_DECLARE; readonly args: ExchangeDeclareArgs }
  | { readonly id: typeof EXCHANGE_DECLARE_OK; readonly args: ExchangeDeclareOkArgs }
  | { readonly id: typeof EXCHANGE_DELETE; readonly args: ExchangeDeleteArgs }
  | { readonly id: typeof EXCHANGE_DELETE_OK; readonly args: ExchangeDeleteOkArgs }
  | { readonly id: typeof EXCHANGE_BIND; readonly args: ExchangeBindArgs }
  | { readonly id: typeof EXCHANGE_BIND_OK; readonly args: ExchangeBindOkArgs }
  | { readonly id: typeof EXCHANGE_UNBIND; readonly args: ExchangeUnbindArgs }
  | { readonly id: typeof EXCHANGE_UNBIND_OK; readonly args: ExchangeUnbindOkArgs }
  | { readonly id: typeof QUEUE_DECLARE; readonly args: QueueDeclareArgs }
  | { readonly id: typeof QUEUE_DECLARE_OK; readonly args: QueueDeclareOkArgs }
  | { readonly id: typeof QUEUE_BIND; readonly args: QueueBindArgs }
  | { readonly id: typeof QUEUE_BIND_OK; readonly args: QueueBindOkArgs }
  | { readonly id: typeof QUEUE_UNBIND; readonly args: QueueUnbindArgs }
  | { readonly id: typeof QUEUE_UNBIND_OK; readonly args: QueueUnbindOkArgs }
  | { readonly id: typeof QUEUE_PURGE; readonly args: QueuePurgeArgs }
  | { readonly id: typeof QUEUE_PURGE_OK; readonly args: QueuePurgeOkArgs }
  | { readonly id: typeof QUEUE_DELETE; readonly args: QueueDeleteArgs }
  | { readonly id: typeof QUEUE_DELETE_OK; readonly args: QueueDeleteOkArgs }
  | { readonly id: typeof BASIC_QOS; readonly args: BasicQosArgs }
  | { readonly id: typeof BASIC_QOS_OK; readonly args: BasicQosOkArgs }
  | { readonly id: typeof BASIC_CONSUME; readonly args: BasicConsumeArgs }
  | { readonly id: typeof BASIC_CONSUME_OK; readonly args: BasicConsumeOkArgs }
  | { readonly id: typeof BASIC_CANCEL; readonly args: BasicCancelArgs }
  | { readonly id: typeof BASIC_CANCEL_OK; readonly args: BasicCancelOkArgs }
  | { readonly id: typeof BASIC_PUBLISH; readonly args: BasicPublishArgs }
  | { readonly id: typeof BASIC_RETURN; readonly args: BasicReturnArgs }
  | { readonly id: typeof BASIC_DELIVER; readonly args: BasicDeliverArgs }
  | { readonly id: typeof BASIC_GET; readonly args: BasicGetArgs }
  | { readonly id: typeof BASIC_GET_OK; readonly args: BasicGetOkArgs }
  | { readonly id: typeof BASIC_GET_EMPTY; readonly args: BasicGetEmptyArgs }
  | { readonly id: typeof BASIC_ACK; readonly args: BasicAckArgs }
  | { readonly id: typeof BASIC_REJECT; readonly args: BasicRejectArgs }
  | { readonly id: typeof BASIC_RECOVER_ASYNC; readonly args: BasicRecoverAsyncArgs }
  | { readonly id: typeof BASIC_RECOVER; readonly args: BasicRecoverArgs }
  | { readonly id: typeof BASIC_RECOVER_OK; readonly args: BasicRecoverOkArgs }
  | { readonly id: typeof BASIC_NACK; readonly args: BasicNackArgs }
  | { readonly id: typeof TX_SELECT; readonly args: TxSelectArgs }
  | { readonly id: typeof TX_SELECT_OK; readonly args: TxSelectOkArgs }
  | { readonly id: typeof TX_COMMIT; readonly args: TxCommitArgs }
  | { readonly id: typeof TX_COMMIT_OK; readonly args: TxCommitOkArgs }
  | { readonly id: typeof TX_ROLLBACK; readonly args: TxRollbackArgs }
  | { readonly id: typeof TX_ROLLBACK_OK; readonly args: TxRollbackOkArgs }
  | { readonly id: typeof CONFIRM_SELECT; readonly args: ConfirmSelectArgs }
  | { readonly id: typeof CONFIRM_SELECT_OK; readonly args: ConfirmSelectOkArgs }
;
