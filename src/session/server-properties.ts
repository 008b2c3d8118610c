/**
 * The server-properties table of connection.start, shaped like RabbitMQ's so that clients which
 * look for capabilities find them. A capability is advertised only once Warren implements it.
 */
import { tableFromObject, type FieldTable } from '../codec/field-table.js';

export function serverProperties(version: string, clusterName: string): FieldTable {
  return tableFromObject({
    capabilities: {
      publisher_confirms: true,
      exchange_exchange_bindings: true,
      'basic.nack': true,
      consumer_cancel_notify: true,
      authentication_failure_close: true,
      'connection.blocked': true,
      per_consumer_qos: true,
      consumer_priorities: true,
      direct_reply_to: true,
    },
    cluster_name: clusterName,
    copyright: 'Copyright (c) the Warren authors',
    information: 'Warren: an AMQP 0-9-1 broker wire-compatible with RabbitMQ',
    platform: `Node.js ${process.version}`,
    product: 'Warren',
    version,
  });
}
