/** Shutting the broker down closes its clients as RabbitMQ does (a Warren-only scenario: it stops the broker). */
import { describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { startTestBroker } from '../support/broker.js';
import { RawClient } from '../support/raw-client.js';

describe('closing', () => {
  it('server-side close on shutdown is CONNECTION_FORCED (320)', async () => {
    const other = await startTestBroker();
    const c = await RawClient.open(other.port);
    const stopping = other.stop();
    const close = await c.connectionClose();
    expect(close.slice(0, 2)).toEqual([320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'"]);
    c.method(0, P.CONNECTION_CLOSE_OK, {});
    await stopping;
  });
});
