/**
 * Method id → handler, for every method a client may send on a channel. Anything else (methods
 * only the server sends, connection methods on a channel, a close-ok or flow-ok that answers
 * nothing) is COMMAND_INVALID "unimplemented method", as RabbitMQ's catch-all has it.
 */
import type { Method } from '../../codec/generated/method-types.js';
import * as M from '../../codec/generated/protocol.js';
import { AmqpError } from '../../codec/amqp-error.js';
import type { Channel } from '../channel.js';
import {
  basicAck, basicCancel, basicConsume, basicGet, basicNack, basicPublish, basicQos, basicRecover, basicReject,
} from './basic-methods.js';
import { channelClose, channelFlow, channelOpen } from './channel-methods.js';
import { exchangeBind, exchangeDeclare, exchangeDelete, exchangeUnbind } from './exchange-methods.js';
import { queueBind, queueDeclare, queueDelete, queuePurge, queueUnbind } from './queue-methods.js';
import { confirmSelect, txCommit, txRollback, txSelect } from './tx-confirm-methods.js';

export function dispatchMethod(ch: Channel, m: Method): void {
  switch (m.id) {
    case M.BASIC_PUBLISH: return basicPublish(ch, m.args);
    case M.BASIC_ACK: return basicAck(ch, m.args);
    case M.BASIC_NACK: return basicNack(ch, m.args);
    case M.BASIC_REJECT: return basicReject(ch, m.args);
    case M.BASIC_QOS: return basicQos(ch, m.args);
    case M.BASIC_CONSUME: return basicConsume(ch, m.args);
    case M.BASIC_CANCEL: return basicCancel(ch, m.args);
    case M.BASIC_GET: return basicGet(ch, m.args);
    case M.BASIC_RECOVER: return basicRecover(ch, m.args.requeue, true);
    case M.BASIC_RECOVER_ASYNC: return basicRecover(ch, m.args.requeue, false);
    case M.QUEUE_DECLARE: return queueDeclare(ch, m.args);
    case M.QUEUE_BIND: return queueBind(ch, m.args);
    case M.QUEUE_UNBIND: return queueUnbind(ch, m.args);
    case M.QUEUE_PURGE: return queuePurge(ch, m.args);
    case M.QUEUE_DELETE: return queueDelete(ch, m.args);
    case M.EXCHANGE_DECLARE: return exchangeDeclare(ch, m.args);
    case M.EXCHANGE_DELETE: return exchangeDelete(ch, m.args);
    case M.EXCHANGE_BIND: return exchangeBind(ch, m.args);
    case M.EXCHANGE_UNBIND: return exchangeUnbind(ch, m.args);
    case M.CHANNEL_OPEN: return channelOpen();
    case M.CHANNEL_CLOSE: return channelClose(ch);

    case M.CHANNEL_FLOW: return channelFlow(ch, m.args.active);
    case M.TX_SELECT: return txSelect(ch);
    case M.TX_COMMIT: return txCommit(ch);
    case M.TX_ROLLBACK: return txRollback(ch);
    case M.CONFIRM_SELECT: return confirmSelect(ch, m.args.nowait);
    case M.BASIC_CANCEL_OK: return; // a client confirming a server-sent basic.cancel
    default:
      // methods only a server sends, connection methods on a channel, close-ok or flow-ok
      // answering nothing: RabbitMQ's catch-all
      throw new AmqpError(M.COMMAND_INVALID, 'unimplemented method');
  }
}
