/**
 * Queues, exchanges and bindings over HTTP — list, declare, delete, purge, publish, get — with
 * the fields tools read (rabbitmqadmin, Terraform, KEDA) and the management plugin's answers: a
 * PUT that creates 201, one that finds an equivalent object 204, an inequivalent one 400 with
 * the AMQP text; declared objects default to AMQP's defaults (not durable). Every change goes
 * through the vhost as a client's would, so it is persisted and counted alike.
 */
import { crc32 } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertArgsEquivalence, assertFieldEquivalence } from '../../broker/equivalence.js';
import { isExchange, validateBinding, type Destination, type Exchange } from '../../broker/exchange.js';
import { Message, type QueuedMessage } from '../../broker/message.js';
import type { Queue } from '../../broker/queue.js';
import { queueTypeArguments } from '../../broker/queue-arguments.js';
import { rs } from '../../broker/resource-names.js';
import { declareExchange, declareQueue } from '../../broker/topology-admin.js';
import type { VirtualHost } from '../../broker/vhost.js';
import { AmqpError } from '../../codec/amqp-error.js';
import { ContentHeader } from '../../codec/content-header.js';
import { DecodeFailure } from '../../codec/decode-failure.js';
import type { FieldTable } from '../../codec/field-table.js';
import type { BasicProperties } from '../../codec/generated/basic-properties.js';
import { CLASS_BASIC } from '../../codec/generated/protocol.js';
import { encodeRouting } from '../../codec/fast-paths.js';
import { jsonTable } from '../../definitions/json-table.js';
import type { JsonObject } from '../../definitions/definitions-file.js';
import { badRequest, bodyOf, bool, columns, hasLevel, notFound, type Body } from '../http-api.js';
import { tableJson } from '../../definitions/json-table.js';
import type { ManagementContext } from '../management-context.js';
import { unackedByQueue } from '../queue-stats.js';
import type { MessageRates } from '../message-rates.js';
import { effectiveDefinition } from '../../broker/policies.js';

type Params = Record<string, string>;

export function topologyRoutes(app: FastifyInstance, ctx: ManagementContext, rates: MessageRates): void {
  /** A vhost the user may see (administrators: all; others: those they have permissions in). */
  const vhostOf = (req: FastifyRequest): VirtualHost => {
    const name = (req.params as Params).vhost;
    const v = ctx.vhosts.get(name);
    if (v === undefined || !(hasLevel(req.user, 'administrator') || ctx.access.permissionsOf(req.user.name, name) !== undefined)) {
      throw notFound();
    }
    return v;
  };
  const visibleVhosts = (req: FastifyRequest) => [...ctx.vhosts.values()].filter((v) =>
    hasLevel(req.user, 'administrator') || ctx.access.permissionsOf(req.user.name, v.name) !== undefined);
  const queueOf = (req: FastifyRequest): Queue => {
    const q = vhostOf(req).queues.get((req.params as Params).queue);
    if (q === undefined) throw notFound();
    return q;
  };
  const exchangeOf = (req: FastifyRequest): Exchange => {
    const name = (req.params as Params).exchange;
    const x = vhostOf(req).exchanges.get(name === 'amq.default' ? '' : name);
    if (x === undefined) throw notFound();
    return x;
  };

  // ---- queues ----
  const listQueues = (req: FastifyRequest, vhosts: VirtualHost[]) => {
    const unacked = unackedByQueue(ctx.connections);
    const all = vhosts.flatMap((v) => [...v.queues.values()].map((q) => queueJson(v, q, unacked.get(q) ?? 0, rates, ctx.nodeName)));
    return paginate(req, all);
  };
  app.get('/api/queues', (req) => listQueues(req, visibleVhosts(req)));
  app.get('/api/queues/:vhost', (req) => listQueues(req, [vhostOf(req)]));
  app.get('/api/queues/:vhost/:queue', (req) => {
    const q = queueOf(req);
    return queueJson(vhostOf(req), q, unackedByQueue(ctx.connections).get(q) ?? 0, rates, ctx.nodeName);
  });
  app.put('/api/queues/:vhost/:queue', (req, reply) => {
    const v = vhostOf(req);
    const name = (req.params as Params).queue;
    const body = bodyOf(req);
    let args = jsonTable(objectArg(body.arguments));
    // rabbitmqadmin also sends the type on its own
    if (typeof body.queue_type === 'string' && !args.some((e) => e.name === 'x-queue-type')) {
      args = [...args, { name: 'x-queue-type', value: { type: 'S', value: Buffer.from(body.queue_type) } }];
    }
    const durable = bool(body.durable, false);
    const autoDelete = bool(body.auto_delete, false);
    const existing = v.queues.get(name);
    if (existing !== undefined) {
      const resource = rs('queue', name, v.name);
      assertFieldEquivalence(existing.durable, durable, resource, 'durable');
      assertFieldEquivalence(existing.autoDelete, autoDelete, resource, 'auto_delete');
      assertArgsEquivalence(existing.options.arguments, args, resource, queueTypeArguments(existing.config.type));
      return reply.code(204).send();
    }
    declareQueue(v, name, { durable, autoDelete, arguments: args });
    return reply.code(201).send();
  });
  app.delete('/api/queues/:vhost/:queue', (req, reply) => {
    const v = vhostOf(req);
    const q = queueOf(req);
    const query = req.query as Record<string, string>;
    if (bool(query['if-unused'], false) && q.consumerCount > 0) throw badRequest(`${rs('queue', q.name, v.name)} in use`);
    if (bool(query['if-empty'], false) && q.messageCount > 0) throw badRequest(`${rs('queue', q.name, v.name)} not empty`);
    v.deleteQueue(q);
    return reply.code(204).send();
  });
  app.delete('/api/queues/:vhost/:queue/contents', (req, reply) => {
    queueOf(req).purge();
    return reply.code(204).send();
  });
  app.post('/api/queues/:vhost/:queue/get', (req) => getMessages(queueOf(req), bodyOf(req)));

  // ---- exchanges ----
  const listExchanges = (req: FastifyRequest, vhosts: VirtualHost[]) =>
    columns(req, vhosts.flatMap((v) => [...v.exchanges.values()].map((x) => exchangeJson(v, x, rates))));
  app.get('/api/exchanges', (req) => listExchanges(req, visibleVhosts(req)));
  app.get('/api/exchanges/:vhost', (req) => listExchanges(req, [vhostOf(req)]));
  app.get('/api/exchanges/:vhost/:exchange', (req) => exchangeJson(vhostOf(req), exchangeOf(req), rates));
  app.put('/api/exchanges/:vhost/:exchange', (req, reply) => {
    const v = vhostOf(req);
    const name = (req.params as Params).exchange;
    const body = bodyOf(req);
    if (typeof body.type !== 'string') throw badRequest('[{key_missing,type}]');
    const wanted = {
      type: body.type, durable: bool(body.durable, false), autoDelete: bool(body.auto_delete, false),
      internal: bool(body.internal, false), arguments: jsonTable(objectArg(body.arguments)),
    };
    const existing = v.exchanges.get(name);
    if (existing !== undefined) {
      const resource = rs('exchange', name, v.name);
      assertFieldEquivalence(existing.type, wanted.type, resource, 'type');
      assertFieldEquivalence(existing.durable, wanted.durable, resource, 'durable');
      assertFieldEquivalence(existing.autoDelete, wanted.autoDelete, resource, 'auto_delete');
      assertFieldEquivalence(existing.internal, wanted.internal, resource, 'internal');
      assertArgsEquivalence(existing.options.arguments, wanted.arguments, resource, ['alternate-exchange']);
      return reply.code(204).send();
    }
    declareExchange(v, name, wanted);
    return reply.code(201).send();
  });
  app.delete('/api/exchanges/:vhost/:exchange', (req, reply) => {
    const x = exchangeOf(req);
    if (x.isDefault || x.name.startsWith('amq.')) throw badRequest(`deletion of system ${rs('exchange', x.name, vhostOf(req).name)} not allowed`);
    vhostOf(req).deleteExchange(x, bool((req.query as Record<string, string>)['if-unused'], false));
    return reply.code(204).send();
  });
  app.post('/api/exchanges/:vhost/:exchange/publish', (req) => {
    const v = vhostOf(req);
    const x = exchangeOf(req);
    const body = bodyOf(req);
    const routingKey = typeof body.routing_key === 'string' ? body.routing_key : '';
    const payload = typeof body.payload === 'string' ? body.payload : '';
    const encoding = body.payload_encoding ?? 'string';
    if (encoding !== 'string' && encoding !== 'base64') throw badRequest(`payload_encoding must be "string" or "base64"`);
    const content = Buffer.from(payload, encoding === 'base64' ? 'base64' : 'utf8');
    const header = ContentHeader.build(CLASS_BASIC, content.length, propertiesOf(objectArg(body.properties)));
    const message = new Message(x.name, routingKey, encodeRouting(x.name, routingKey), header, content);
    return { routed: v.publish(x, message).routed > 0 };
  });

  // ---- bindings ----
  const listBindings = (req: FastifyRequest, vhosts: VirtualHost[]) => columns(req, vhosts.flatMap(bindingsOf));
  app.get('/api/bindings', (req) => listBindings(req, visibleVhosts(req)));
  app.get('/api/bindings/:vhost', (req) => listBindings(req, [vhostOf(req)]));
  // as RabbitMQ's bindings resource for one exchange or queue: nothing is looked up — a missing
  // exchange, or a missing vhost, lists nothing; a queue's list starts with its implicit
  // default-exchange binding, the queue there or not (rabbit_binding:list_for_destination adds it)
  const bindingsIn = (req: FastifyRequest): BindingJson[] | null =>
    ctx.vhosts.has((req.params as Params).vhost) ? bindingsOf(vhostOf(req)) : null;
  const namedIn = (req: FastifyRequest, key: 'exchange' | 'queue') => {
    const name = (req.params as Params)[key] as string;
    return key === 'exchange' && name === 'amq.default' ? '' : name;
  };
  app.get('/api/exchanges/:vhost/:exchange/bindings/source', (req) => {
    const name = namedIn(req, 'exchange');
    return columns(req, (bindingsIn(req) ?? []).filter((b) => b.source === name));
  });
  app.get('/api/exchanges/:vhost/:exchange/bindings/destination', (req) => {
    const name = namedIn(req, 'exchange');
    return columns(req, (bindingsIn(req) ?? []).filter((b) => b.destination === name && b.destination_type === 'exchange'));
  });
  app.get('/api/queues/:vhost/:queue/bindings', (req) => {
    const all = bindingsIn(req);
    if (all === null) return [];
    const name = namedIn(req, 'queue');
    const explicit = all.filter((b) => b.destination === name && b.destination_type === 'queue' && b.source !== '');
    return columns(req, [implicitBinding(vhostOf(req), name), ...explicit]);
  });
  for (const kind of ['q', 'e'] as const) {
    const destinationOf = (req: FastifyRequest): Destination => {
      const v = vhostOf(req);
      const name = (req.params as Params).destination;
      const d = kind === 'q' ? v.queues.get(name) : v.exchanges.get(name);
      if (d === undefined) throw notFound();
      return d;
    };
    const between = (req: FastifyRequest) => {
      const x = exchangeOf(req);
      const d = destinationOf(req);
      return bindingsOf(vhostOf(req)).filter((b) => b.source === x.name && b.destination === d.name && b.destination_type === (kind === 'q' ? 'queue' : 'exchange'));
    };
    app.get(`/api/bindings/:vhost/e/:exchange/${kind}/:destination`, (req) => between(req));
    app.post(`/api/bindings/:vhost/e/:exchange/${kind}/:destination`, (req, reply) => {
      const v = vhostOf(req);
      const x = exchangeOf(req);
      const d = destinationOf(req);
      const body = bodyOf(req);
      const key = typeof body.routing_key === 'string' ? body.routing_key : '';
      const args = jsonTable(objectArg(body.arguments));
      validateBinding(x, key, args);
      v.bind(x, d, key, args);
      // Terraform reads the properties key back from Location
      return reply.code(201).header('location', `${encodeURIComponent(d.name)}/${encodeURIComponent(propertiesKey(key, args))}`).send();
    });
    app.get(`/api/bindings/:vhost/e/:exchange/${kind}/:destination/:props`, (req) => {
      const b = between(req).find((x) => x.properties_key === (req.params as Params).props);
      if (b === undefined) throw notFound();
      return b;
    });
    app.delete(`/api/bindings/:vhost/e/:exchange/${kind}/:destination/:props`, (req, reply) => {
      const v = vhostOf(req);
      const x = exchangeOf(req);
      const d = destinationOf(req);
      const props = (req.params as Params).props;
      const b = [...x.routing.bindings()].find((y) => y.destination === d && propertiesKey(y.routingKey, y.args) === props);
      if (b === undefined) throw notFound();
      v.unbind(x, d, b.routingKey, b.args);
      return reply.code(204).send();
    });
  }
}

function queueJson(v: VirtualHost, q: Queue, unacked: number, rates: MessageRates, node: string) {
  const stats = rates.of(q);
  return {
    name: q.name, vhost: v.name, type: q.config.type, durable: q.durable, auto_delete: q.autoDelete, exclusive: q.exclusive,
    arguments: tableJson(q.options.arguments), node, state: 'running',
    consumers: q.consumerCount, messages: q.messageCount + unacked, messages_ready: q.messageCount,
    messages_unacknowledged: unacked,
    policy: q.policy?.name ?? null,
    operator_policy: q.operatorPolicy?.name ?? null,
    effective_policy_definition: effectiveDefinition(q.policy, q.operatorPolicy),
    ...(stats !== undefined ? { message_stats: stats } : {}),
  };
}

function exchangeJson(v: VirtualHost, x: Exchange, rates: MessageRates) {
  const stats = rates.exchange(x);
  return {
    name: x.name, vhost: v.name, type: x.type, durable: x.durable, auto_delete: x.autoDelete, internal: x.internal,
    arguments: tableJson(x.options.arguments),
    // RabbitMQ shows an exchange's policy only when one applies
    ...(x.policy !== null ? { policy: x.policy.name } : {}),
    ...(stats !== undefined ? { message_stats: stats } : {}),
  };
}

/** The bindings of a vhost as RabbitMQ lists them, the default exchange's implicit ones first. */
interface BindingJson {
  source: string; vhost: string; destination: string; destination_type: 'queue' | 'exchange';
  routing_key: string; arguments: object; properties_key: string;
}

/** Every queue's binding to the default exchange by its name, listed as RabbitMQ lists it. */
function implicitBinding(v: VirtualHost, queue: string): BindingJson {
  return { source: '', vhost: v.name, destination: queue, destination_type: 'queue', routing_key: queue, arguments: {}, properties_key: propertiesKey(queue, []) };
}

function bindingsOf(v: VirtualHost): BindingJson[] {
  const out: BindingJson[] = [];
  for (const q of v.queues.values()) out.push(implicitBinding(v, q.name));
  for (const x of v.exchanges.values()) {
    for (const b of x.routing.bindings()) {
      out.push({
        source: x.name, vhost: v.name, destination: b.destination.name, destination_type: isExchange(b.destination) ? 'exchange' : 'queue',
        routing_key: b.routingKey, arguments: tableJson(b.args), properties_key: propertiesKey(b.routingKey, b.args),
      });
    }
  }
  return out;
}

/**
 * A binding's id in URLs, as RabbitMQ builds it: the routing key percent-encoded ("~" when
 * empty), plus "~" and a hash of the arguments when it has any. RabbitMQ hashes the Erlang
 * term; Warren hashes the arguments' JSON (a client gets the key from Location or the list,
 * never computes it).
 */
export function propertiesKey(routingKey: string, args: FieldTable): string {
  const key = routingKey === '' ? '~' : routingKey.replace(/[^A-Za-z0-9._-]/g, (c) => encodeURIComponent(c).replace(/[!'()*~]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));
  if (args.length === 0) return key;
  const hash = Buffer.alloc(4);
  hash.writeUInt32BE(crc32(JSON.stringify(tableJson(args))));
  return `${routingKey === '' ? '' : key}~${hash.toString('base64url')}`;
}

/** Pagination as KEDA uses it (`page`, `page_size`, `name`, `use_regex`), else the plain list with ?columns=. */
function paginate<T extends { name: string }>(req: FastifyRequest, all: T[]) {
  const q = req.query as Record<string, string>;
  if (q.page === undefined) return columns(req, all);
  const page = Math.max(1, Number.parseInt(q.page, 10) || 1);
  const size = Math.min(500, Math.max(1, Number.parseInt(q.page_size ?? '100', 10) || 100));
  let filtered = all;
  if (q.name !== undefined && q.name !== '') {
    let match: (n: string) => boolean;
    if (bool(q.use_regex, false)) {
      let re: RegExp;
      try {
        re = new RegExp(q.name);
      } catch {
        throw badRequest(`invalid regular expression ${q.name}`);
      }
      match = (n) => re.test(n);
    } else {
      match = (n) => n.includes(q.name);
    }
    filtered = all.filter((x) => match(x.name));
  }
  const items = columns(req, filtered.slice((page - 1) * size, page * size));
  return {
    filtered_count: filtered.length, item_count: items.length, items, page,
    page_count: Math.ceil(filtered.length / size), page_size: size, total_count: all.length,
  };
}

const ACK_MODES = ['ack_requeue_true', 'ack_requeue_false', 'reject_requeue_true', 'reject_requeue_false'];

/**
 * One message for a get over HTTP. A queue that refuses basic.get (a stream) is reported as
 * RabbitMQ's management reports it: 400 with the reply code before the text.
 */
function takeOne(q: Queue): QueuedMessage | undefined {
  try {
    return q.get();
  } catch (err) {
    if (err instanceof AmqpError) throw badRequest(`${err.replyCode} ${err.detail}`);
    throw err;
  }
}

/** POST …/get: up to `count` messages, then acknowledged, rejected or requeued as `ackmode` says. */
function getMessages(q: Queue, body: Body) {
  const missing = ['ackmode', 'encoding'].filter((k) => body[k] === undefined).map((k) => `{key_missing,${k}}`);
  if (missing.length > 0) throw badRequest(`[${missing.join(',')}]`);
  const ackmode = String(body.ackmode);
  if (!ACK_MODES.includes(ackmode)) throw badRequest(`unknown ackmode ${ackmode}`);
  const encoding = String(body.encoding);
  if (encoding !== 'auto' && encoding !== 'base64') throw badRequest(`unknown encoding ${encoding}`);
  const count = Number(body.count ?? 1);
  const truncate = body.truncate === undefined ? Infinity : Number(body.truncate);
  const taken: QueuedMessage[] = [];
  /** basic.get-ok's message count: what was left ready after each one was taken. */
  const left: number[] = [];
  for (let i = 0; i < count; i++) {
    const qm = takeOne(q);
    if (qm === undefined) break;
    taken.push(qm);
    left.push(q.messageCount);
  }
  const out = taken.map((qm, i) => {
    const m = qm.message;
    const body = m.body.subarray(0, Math.min(m.body.length, truncate));
    const text = body.toString('utf8');
    const asString = encoding === 'auto' && Buffer.from(text, 'utf8').equals(body);
    return {
      payload_bytes: m.body.length, redelivered: qm.redelivered, exchange: m.exchange, routing_key: m.routingKey,
      message_count: left[i], properties: propertiesJson(deliveredHeader(qm).properties),
      payload: asString ? text : body.toString('base64'), payload_encoding: asString ? 'string' : 'base64',
    };
  });
  // settled after all are taken, so that a requeued one is not taken again (as RabbitMQ's basic.get loop)
  for (const qm of taken) {
    if (ackmode === 'ack_requeue_false') q.ack(qm);
    else if (ackmode === 'reject_requeue_false') q.reject(qm);
    else q.requeue(qm, false);
  }
  return out;
}

/** The header a consumer would get: the queue's edit of it (delivery counts) or the message's own. */
function deliveredHeader(qm: QueuedMessage): ContentHeader {
  if (qm.header === null) return qm.message.header;
  const h = ContentHeader.fromPayload(qm.header);
  return h instanceof DecodeFailure ? qm.message.header : h;
}

const PROPERTY_NAMES: [keyof BasicProperties, string][] = [
  ['contentType', 'content_type'], ['contentEncoding', 'content_encoding'], ['headers', 'headers'],
  ['deliveryMode', 'delivery_mode'], ['priority', 'priority'], ['correlationId', 'correlation_id'],
  ['replyTo', 'reply_to'], ['expiration', 'expiration'], ['messageId', 'message_id'], ['timestamp', 'timestamp'],
  ['type', 'type'], ['userId', 'user_id'], ['appId', 'app_id'],
];

/** A message's properties as the management API shows them; none at all is `[]` (an empty Erlang list, as RabbitMQ writes it). */
function propertiesJson(p: BasicProperties): Record<string, unknown> | [] {
  const out: Record<string, unknown> = {};
  for (const [prop, json] of PROPERTY_NAMES) {
    const v = p[prop];
    if (v !== undefined) out[json] = prop === 'headers' ? tableJson(v as FieldTable) : v;
  }
  return Object.keys(out).length === 0 ? [] : out;
}

function propertiesOf(o: JsonObject): BasicProperties {
  const p: Record<string, unknown> = {};
  for (const [prop, json] of PROPERTY_NAMES) {
    const v = o[json];
    if (v === undefined || v === null) continue;
    if (prop === 'headers') p.headers = jsonTable(objectArg(v));
    else if (prop === 'deliveryMode' || prop === 'priority' || prop === 'timestamp') p[prop] = Number(v);
    else p[prop] = String(v);
  }
  return p as BasicProperties;
}

function objectArg(v: unknown): JsonObject {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('expected an object');
  return v as JsonObject;
}
