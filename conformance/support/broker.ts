/**
 * The conformance target behind the interface test/integration's suites use (startTestBroker),
 * so that a suite written there can hold against RabbitMQ here unchanged. Queues and exchanges
 * a scenario declares by name are remembered and deleted at stop(), leaving a shared RabbitMQ as
 * it was (suites with fixed names must not run twice at once against one broker).
 */
import type amqp from 'amqplib';
import { cleanup, connect, tidy } from './client.js';
import { target } from './target.js';

export interface TargetBroker {
  readonly port: number;
  readonly host: string;
  readonly url: string;
  connect(options?: { frameMax?: number; heartbeat?: number; vhost?: string; user?: string; pass?: string }): Promise<amqp.ChannelModel>;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<TargetBroker> {
  const t = await target();
  return {
    port: t.port, host: t.host, url: t.url,
    async connect(o = {}) {
      const params: Record<string, string | number> = {};
      if (o.frameMax !== undefined) params.frameMax = o.frameMax;
      if (o.heartbeat !== undefined) params.heartbeat = o.heartbeat;
      const c = await connect(params, { vhost: o.vhost, user: o.user, pass: o.pass });
      trackDeclarations(c);
      return c;
    },
    stop: tidy,
  };
}

/** Remembers what channels of `c` declare by name, for tidy() to delete. */
function trackDeclarations(c: amqp.ChannelModel): void {
  const wrap = <T extends amqp.Channel>(ch: T): T => {
    const assertQueue = ch.assertQueue.bind(ch);
    ch.assertQueue = async (name, options) => {
      const ok = await assertQueue(name, options);
      if (!options?.exclusive) cleanup('queue', ok.queue);
      return ok;
    };
    const assertExchange = ch.assertExchange.bind(ch);
    ch.assertExchange = async (name, type, options) => {
      const ok = await assertExchange(name, type, options);
      if (!name.startsWith('amq.') && name !== '') cleanup('exchange', name);
      return ok;
    };
    return ch;
  };
  const createChannel = c.createChannel.bind(c);
  c.createChannel = async () => wrap(await createChannel());
  const createConfirmChannel = c.createConfirmChannel.bind(c);
  c.createConfirmChannel = async () => wrap(await createConfirmChannel());
}

export { closedWith, sleep } from '../../test/support/broker.js';
