// generated — do not edit. Source: protocol/amqp-0-9-1.json, by protocol/generate.mjs
// (npm run gen:protocol).

/** AMQP 0-9-1 with RabbitMQ extensions. */
export const PROTOCOL_VERSION = { major: 0, minor: 9, revision: 1 } as const;
export const DEFAULT_PORT = 5672;

// ---- constants (frame types, sizes, reply codes) ----
export const FRAME_METHOD = 1;
export const FRAME_HEADER = 2;
export const FRAME_BODY = 3;
export const FRAME_HEARTBEAT = 8;
export const REPLY_SUCCESS = 200;
export const FRAME_END = 206;
export const CONTENT_TOO_LARGE = 311;
export const NO_ROUTE = 312;
export const NO_CONSUMERS = 313;
export const CONNECTION_FORCED = 320;
export const INVALID_PATH = 402;
export const ACCESS_REFUSED = 403;
export const NOT_FOUND = 404;
export const RESOURCE_LOCKED = 405;
export const PRECONDITION_FAILED = 406;
export const FRAME_ERROR = 501;
export const SYNTAX_ERROR = 502;
export const COMMAND_INVALID = 503;
export const CHANNEL_ERROR = 504;
export const UNEXPECTED_FRAME = 505;
export const RESOURCE_ERROR = 506;
export const NOT_ALLOWED = 530;
export const NOT_IMPLEMENTED = 540;
export const INTERNAL_ERROR = 541;
export const FRAME_MIN_SIZE = 4096;

/** Reply code → its constant name, as used at the start of reply texts. */
export const REPLY_CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [200, 'REPLY_SUCCESS'],
  [206, 'FRAME_END'],
  [311, 'CONTENT_TOO_LARGE'],
  [312, 'NO_ROUTE'],
  [313, 'NO_CONSUMERS'],
  [320, 'CONNECTION_FORCED'],
  [402, 'INVALID_PATH'],
  [403, 'ACCESS_REFUSED'],
  [404, 'NOT_FOUND'],
  [405, 'RESOURCE_LOCKED'],
  [406, 'PRECONDITION_FAILED'],
  [501, 'FRAME_ERROR'],
  [502, 'SYNTAX_ERROR'],
  [503, 'COMMAND_INVALID'],
  [504, 'CHANNEL_ERROR'],
  [505, 'UNEXPECTED_FRAME'],
  [506, 'RESOURCE_ERROR'],
  [530, 'NOT_ALLOWED'],
  [540, 'NOT_IMPLEMENTED'],
  [541, 'INTERNAL_ERROR'],
]);

/** Reply codes that close the whole connection. */
export const HARD_ERRORS: ReadonlySet<number> = new Set([320, 402, 501, 502, 503, 504, 505, 506, 530, 540, 541]);
/** Reply codes that close only the channel. */
export const SOFT_ERRORS: ReadonlySet<number> = new Set([311, 312, 313, 403, 404, 405, 406]);

// ---- class ids ----
export const CLASS_CONNECTION = 10;
export const CLASS_CHANNEL = 20;
export const CLASS_EXCHANGE = 40;
export const CLASS_QUEUE = 50;
export const CLASS_BASIC = 60;
export const CLASS_TX = 90;
export const CLASS_CONFIRM = 85;

// ---- method ids: class id << 16 | method id ----
export const CONNECTION_START = 0x000a000a;
export const CONNECTION_START_OK = 0x000a000b;
export const CONNECTION_SECURE = 0x000a0014;
export const CONNECTION_SECURE_OK = 0x000a0015;
export const CONNECTION_TUNE = 0x000a001e;
export const CONNECTION_TUNE_OK = 0x000a001f;
export const CONNECTION_OPEN = 0x000a0028;
export const CONNECTION_OPEN_OK = 0x000a0029;
export const CONNECTION_CLOSE = 0x000a0032;
export const CONNECTION_CLOSE_OK = 0x000a0033;
export const CONNECTION_BLOCKED = 0x000a003c;
export const CONNECTION_UNBLOCKED = 0x000a003d;
export const CONNECTION_UPDATE_SECRET = 0x000a0046;
export const CONNECTION_UPDATE_SECRET_OK = 0x000a0047;
export const CHANNEL_OPEN = 0x0014000a;
export const CHANNEL_OPEN_OK = 0x0014000b;
export const CHANNEL_FLOW = 0x00140014;
export const CHANNEL_FLOW_OK = 0x00140015;
export const CHANNEL_CLOSE = 0x00140028;
export const CHANNEL_CLOSE_OK = 0x00140029;
export const EXCHANGE_DECLARE = 0x0028000a;
export const EXCHANGE_DECLARE_OK = 0x0028000b;
export const EXCHANGE_DELETE = 0x00280014;
export const EXCHANGE_DELETE_OK = 0x00280015;
export const EXCHANGE_BIND = 0x0028001e;
export const EXCHANGE_BIND_OK = 0x0028001f;
export const EXCHANGE_UNBIND = 0x00280028;
export const EXCHANGE_UNBIND_OK = 0x00280033;
export const QUEUE_DECLARE = 0x0032000a;
export const QUEUE_DECLARE_OK = 0x0032000b;
export const QUEUE_BIND = 0x00320014;
export const QUEUE_BIND_OK = 0x00320015;
export const QUEUE_UNBIND = 0x00320032;
export const QUEUE_UNBIND_OK = 0x00320033;
export const QUEUE_PURGE = 0x0032001e;
export const QUEUE_PURGE_OK = 0x0032001f;
export const QUEUE_DELETE = 0x00320028;
export const QUEUE_DELETE_OK = 0x00320029;
export const BASIC_QOS = 0x003c000a;
export const BASIC_QOS_OK = 0x003c000b;
export const BASIC_CONSUME = 0x003c0014;
export const BASIC_CONSUME_OK = 0x003c0015;
export const BASIC_CANCEL = 0x003c001e;
export const BASIC_CANCEL_OK = 0x003c001f;
export const BASIC_PUBLISH = 0x003c0028;
export const BASIC_RETURN = 0x003c0032;
export const BASIC_DELIVER = 0x003c003c;
export const BASIC_GET = 0x003c0046;
export const BASIC_GET_OK = 0x003c0047;
export const BASIC_GET_EMPTY = 0x003c0048;
export const BASIC_ACK = 0x003c0050;
export const BASIC_REJECT = 0x003c005a;
export const BASIC_RECOVER_ASYNC = 0x003c0064;
export const BASIC_RECOVER = 0x003c006e;
export const BASIC_RECOVER_OK = 0x003c006f;
export const BASIC_NACK = 0x003c0078;
export const TX_SELECT = 0x005a000a;
export const TX_SELECT_OK = 0x005a000b;
export const TX_COMMIT = 0x005a0014;
export const TX_COMMIT_OK = 0x005a0015;
export const TX_ROLLBACK = 0x005a001e;
export const TX_ROLLBACK_OK = 0x005a001f;
export const CONFIRM_SELECT = 0x0055000a;
export const CONFIRM_SELECT_OK = 0x0055000b;

export type AmqpType = 'octet' | 'short' | 'long' | 'longlong' | 'timestamp' | 'shortstr' | 'longstr' | 'bit' | 'table';
export interface FieldInfo {
  readonly name: string;
  readonly domain: string | null;
  readonly type: AmqpType;
  readonly reserved: boolean;
}
export interface MethodInfo {
  readonly id: number;
  readonly classId: number;
  readonly methodId: number;
  /** e.g. 'basic.publish' */
  readonly name: string;
  readonly synchronous: boolean;
  readonly hasContent: boolean;
  /** Ids of the methods that answer this one. */
  readonly responses: readonly number[];
  /** Which peer may send it: 'client', 'server' or both. */
  readonly sentBy: readonly ('client' | 'server')[];
  readonly fields: readonly FieldInfo[];
}

export const METHODS: readonly MethodInfo[] = [
  {
    id: 0x000a000a, classId: 10, methodId: 10, name: 'connection.start',
    synchronous: true, hasContent: false, responses: [CONNECTION_START_OK],
    sentBy: ['server'],
    fields: [
      { name: 'version-major', domain: 'octet', type: 'octet', reserved: false },
      { name: 'version-minor', domain: 'octet', type: 'octet', reserved: false },
      { name: 'server-properties', domain: 'peer-properties', type: 'table', reserved: false },
      { name: 'mechanisms', domain: 'longstr', type: 'longstr', reserved: false },
      { name: 'locales', domain: 'longstr', type: 'longstr', reserved: false },
    ],
  },
  {
    id: 0x000a000b, classId: 10, methodId: 11, name: 'connection.start-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['client'],
    fields: [
      { name: 'client-properties', domain: 'peer-properties', type: 'table', reserved: false },
      { name: 'mechanism', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'response', domain: 'longstr', type: 'longstr', reserved: false },
      { name: 'locale', domain: 'shortstr', type: 'shortstr', reserved: false },
    ],
  },
  {
    id: 0x000a0014, classId: 10, methodId: 20, name: 'connection.secure',
    synchronous: true, hasContent: false, responses: [CONNECTION_SECURE_OK],
    sentBy: ['server'],
    fields: [
      { name: 'challenge', domain: 'longstr', type: 'longstr', reserved: false },
    ],
  },
  {
    id: 0x000a0015, classId: 10, methodId: 21, name: 'connection.secure-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['client'],
    fields: [
      { name: 'response', domain: 'longstr', type: 'longstr', reserved: false },
    ],
  },
  {
    id: 0x000a001e, classId: 10, methodId: 30, name: 'connection.tune',
    synchronous: true, hasContent: false, responses: [CONNECTION_TUNE_OK],
    sentBy: ['server'],
    fields: [
      { name: 'channel-max', domain: 'short', type: 'short', reserved: false },
      { name: 'frame-max', domain: 'long', type: 'long', reserved: false },
      { name: 'heartbeat', domain: 'short', type: 'short', reserved: false },
    ],
  },
  {
    id: 0x000a001f, classId: 10, methodId: 31, name: 'connection.tune-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['client'],
    fields: [
      { name: 'channel-max', domain: 'short', type: 'short', reserved: false },
      { name: 'frame-max', domain: 'long', type: 'long', reserved: false },
      { name: 'heartbeat', domain: 'short', type: 'short', reserved: false },
    ],
  },
  {
    id: 0x000a0028, classId: 10, methodId: 40, name: 'connection.open',
    synchronous: true, hasContent: false, responses: [CONNECTION_OPEN_OK],
    sentBy: ['client'],
    fields: [
      { name: 'virtual-host', domain: 'path', type: 'shortstr', reserved: false },
      { name: 'reserved-1', domain: null, type: 'shortstr', reserved: true },
      { name: 'reserved-2', domain: null, type: 'bit', reserved: true },
    ],
  },
  {
    id: 0x000a0029, classId: 10, methodId: 41, name: 'connection.open-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'shortstr', reserved: true },
    ],
  },
  {
    id: 0x000a0032, classId: 10, methodId: 50, name: 'connection.close',
    synchronous: true, hasContent: false, responses: [CONNECTION_CLOSE_OK],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'reply-code', domain: 'reply-code', type: 'short', reserved: false },
      { name: 'reply-text', domain: 'reply-text', type: 'shortstr', reserved: false },
      { name: 'class-id', domain: 'class-id', type: 'short', reserved: false },
      { name: 'method-id', domain: 'method-id', type: 'short', reserved: false },
    ],
  },
  {
    id: 0x000a0033, classId: 10, methodId: 51, name: 'connection.close-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['client', 'server'],
    fields: [],
  },
  {
    id: 0x000a003c, classId: 10, methodId: 60, name: 'connection.blocked',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'reason', domain: 'shortstr', type: 'shortstr', reserved: false },
    ],
  },
  {
    id: 0x000a003d, classId: 10, methodId: 61, name: 'connection.unblocked',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x000a0046, classId: 10, methodId: 70, name: 'connection.update-secret',
    synchronous: true, hasContent: false, responses: [CONNECTION_UPDATE_SECRET_OK],
    sentBy: ['client'],
    fields: [
      { name: 'new-secret', domain: 'longstr', type: 'longstr', reserved: false },
      { name: 'reason', domain: 'shortstr', type: 'shortstr', reserved: false },
    ],
  },
  {
    id: 0x000a0047, classId: 10, methodId: 71, name: 'connection.update-secret-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x0014000a, classId: 20, methodId: 10, name: 'channel.open',
    synchronous: true, hasContent: false, responses: [CHANNEL_OPEN_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'shortstr', reserved: true },
    ],
  },
  {
    id: 0x0014000b, classId: 20, methodId: 11, name: 'channel.open-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'longstr', reserved: true },
    ],
  },
  {
    id: 0x00140014, classId: 20, methodId: 20, name: 'channel.flow',
    synchronous: true, hasContent: false, responses: [CHANNEL_FLOW_OK],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'active', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x00140015, classId: 20, methodId: 21, name: 'channel.flow-ok',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'active', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x00140028, classId: 20, methodId: 40, name: 'channel.close',
    synchronous: true, hasContent: false, responses: [CHANNEL_CLOSE_OK],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'reply-code', domain: 'reply-code', type: 'short', reserved: false },
      { name: 'reply-text', domain: 'reply-text', type: 'shortstr', reserved: false },
      { name: 'class-id', domain: 'class-id', type: 'short', reserved: false },
      { name: 'method-id', domain: 'method-id', type: 'short', reserved: false },
    ],
  },
  {
    id: 0x00140029, classId: 20, methodId: 41, name: 'channel.close-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['client', 'server'],
    fields: [],
  },
  {
    id: 0x0028000a, classId: 40, methodId: 10, name: 'exchange.declare',
    synchronous: true, hasContent: false, responses: [EXCHANGE_DECLARE_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'type', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'passive', domain: 'bit', type: 'bit', reserved: false },
      { name: 'durable', domain: 'bit', type: 'bit', reserved: false },
      { name: 'auto-delete', domain: 'bit', type: 'bit', reserved: false },
      { name: 'internal', domain: 'bit', type: 'bit', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
      { name: 'arguments', domain: 'table', type: 'table', reserved: false },
    ],
  },
  {
    id: 0x0028000b, classId: 40, methodId: 11, name: 'exchange.declare-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x00280014, classId: 40, methodId: 20, name: 'exchange.delete',
    synchronous: true, hasContent: false, responses: [EXCHANGE_DELETE_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'if-unused', domain: 'bit', type: 'bit', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x00280015, classId: 40, methodId: 21, name: 'exchange.delete-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x0028001e, classId: 40, methodId: 30, name: 'exchange.bind',
    synchronous: true, hasContent: false, responses: [EXCHANGE_BIND_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'destination', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'source', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
      { name: 'arguments', domain: 'table', type: 'table', reserved: false },
    ],
  },
  {
    id: 0x0028001f, classId: 40, methodId: 31, name: 'exchange.bind-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x00280028, classId: 40, methodId: 40, name: 'exchange.unbind',
    synchronous: true, hasContent: false, responses: [EXCHANGE_UNBIND_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'destination', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'source', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
      { name: 'arguments', domain: 'table', type: 'table', reserved: false },
    ],
  },
  {
    id: 0x00280033, classId: 40, methodId: 51, name: 'exchange.unbind-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x0032000a, classId: 50, methodId: 10, name: 'queue.declare',
    synchronous: true, hasContent: false, responses: [QUEUE_DECLARE_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'passive', domain: 'bit', type: 'bit', reserved: false },
      { name: 'durable', domain: 'bit', type: 'bit', reserved: false },
      { name: 'exclusive', domain: 'bit', type: 'bit', reserved: false },
      { name: 'auto-delete', domain: 'bit', type: 'bit', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
      { name: 'arguments', domain: 'table', type: 'table', reserved: false },
    ],
  },
  {
    id: 0x0032000b, classId: 50, methodId: 11, name: 'queue.declare-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'message-count', domain: 'message-count', type: 'long', reserved: false },
      { name: 'consumer-count', domain: 'long', type: 'long', reserved: false },
    ],
  },
  {
    id: 0x00320014, classId: 50, methodId: 20, name: 'queue.bind',
    synchronous: true, hasContent: false, responses: [QUEUE_BIND_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
      { name: 'arguments', domain: 'table', type: 'table', reserved: false },
    ],
  },
  {
    id: 0x00320015, classId: 50, methodId: 21, name: 'queue.bind-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x00320032, classId: 50, methodId: 50, name: 'queue.unbind',
    synchronous: true, hasContent: false, responses: [QUEUE_UNBIND_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'arguments', domain: 'table', type: 'table', reserved: false },
    ],
  },
  {
    id: 0x00320033, classId: 50, methodId: 51, name: 'queue.unbind-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x0032001e, classId: 50, methodId: 30, name: 'queue.purge',
    synchronous: true, hasContent: false, responses: [QUEUE_PURGE_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x0032001f, classId: 50, methodId: 31, name: 'queue.purge-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'message-count', domain: 'message-count', type: 'long', reserved: false },
    ],
  },
  {
    id: 0x00320028, classId: 50, methodId: 40, name: 'queue.delete',
    synchronous: true, hasContent: false, responses: [QUEUE_DELETE_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'if-unused', domain: 'bit', type: 'bit', reserved: false },
      { name: 'if-empty', domain: 'bit', type: 'bit', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x00320029, classId: 50, methodId: 41, name: 'queue.delete-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'message-count', domain: 'message-count', type: 'long', reserved: false },
    ],
  },
  {
    id: 0x003c000a, classId: 60, methodId: 10, name: 'basic.qos',
    synchronous: true, hasContent: false, responses: [BASIC_QOS_OK],
    sentBy: ['client'],
    fields: [
      { name: 'prefetch-size', domain: 'long', type: 'long', reserved: false },
      { name: 'prefetch-count', domain: 'short', type: 'short', reserved: false },
      { name: 'global', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c000b, classId: 60, methodId: 11, name: 'basic.qos-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x003c0014, classId: 60, methodId: 20, name: 'basic.consume',
    synchronous: true, hasContent: false, responses: [BASIC_CONSUME_OK],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'consumer-tag', domain: 'consumer-tag', type: 'shortstr', reserved: false },
      { name: 'no-local', domain: 'no-local', type: 'bit', reserved: false },
      { name: 'no-ack', domain: 'no-ack', type: 'bit', reserved: false },
      { name: 'exclusive', domain: 'bit', type: 'bit', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
      { name: 'arguments', domain: 'table', type: 'table', reserved: false },
    ],
  },
  {
    id: 0x003c0015, classId: 60, methodId: 21, name: 'basic.consume-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'consumer-tag', domain: 'consumer-tag', type: 'shortstr', reserved: false },
    ],
  },
  {
    id: 0x003c001e, classId: 60, methodId: 30, name: 'basic.cancel',
    synchronous: true, hasContent: false, responses: [BASIC_CANCEL_OK],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'consumer-tag', domain: 'consumer-tag', type: 'shortstr', reserved: false },
      { name: 'no-wait', domain: 'no-wait', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c001f, classId: 60, methodId: 31, name: 'basic.cancel-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'consumer-tag', domain: 'consumer-tag', type: 'shortstr', reserved: false },
    ],
  },
  {
    id: 0x003c0028, classId: 60, methodId: 40, name: 'basic.publish',
    synchronous: false, hasContent: true, responses: [],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'mandatory', domain: 'bit', type: 'bit', reserved: false },
      { name: 'immediate', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c0032, classId: 60, methodId: 50, name: 'basic.return',
    synchronous: false, hasContent: true, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'reply-code', domain: 'reply-code', type: 'short', reserved: false },
      { name: 'reply-text', domain: 'reply-text', type: 'shortstr', reserved: false },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
    ],
  },
  {
    id: 0x003c003c, classId: 60, methodId: 60, name: 'basic.deliver',
    synchronous: false, hasContent: true, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'consumer-tag', domain: 'consumer-tag', type: 'shortstr', reserved: false },
      { name: 'delivery-tag', domain: 'delivery-tag', type: 'longlong', reserved: false },
      { name: 'redelivered', domain: 'redelivered', type: 'bit', reserved: false },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
    ],
  },
  {
    id: 0x003c0046, classId: 60, methodId: 70, name: 'basic.get',
    synchronous: true, hasContent: false, responses: [BASIC_GET_OK, BASIC_GET_EMPTY],
    sentBy: ['client'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'short', reserved: true },
      { name: 'queue', domain: 'queue-name', type: 'shortstr', reserved: false },
      { name: 'no-ack', domain: 'no-ack', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c0047, classId: 60, methodId: 71, name: 'basic.get-ok',
    synchronous: true, hasContent: true, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'delivery-tag', domain: 'delivery-tag', type: 'longlong', reserved: false },
      { name: 'redelivered', domain: 'redelivered', type: 'bit', reserved: false },
      { name: 'exchange', domain: 'exchange-name', type: 'shortstr', reserved: false },
      { name: 'routing-key', domain: 'shortstr', type: 'shortstr', reserved: false },
      { name: 'message-count', domain: 'message-count', type: 'long', reserved: false },
    ],
  },
  {
    id: 0x003c0048, classId: 60, methodId: 72, name: 'basic.get-empty',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [
      { name: 'reserved-1', domain: null, type: 'shortstr', reserved: true },
    ],
  },
  {
    id: 0x003c0050, classId: 60, methodId: 80, name: 'basic.ack',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'delivery-tag', domain: 'delivery-tag', type: 'longlong', reserved: false },
      { name: 'multiple', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c005a, classId: 60, methodId: 90, name: 'basic.reject',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['client'],
    fields: [
      { name: 'delivery-tag', domain: 'delivery-tag', type: 'longlong', reserved: false },
      { name: 'requeue', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c0064, classId: 60, methodId: 100, name: 'basic.recover-async',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['client'],
    fields: [
      { name: 'requeue', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c006e, classId: 60, methodId: 110, name: 'basic.recover',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['client'],
    fields: [
      { name: 'requeue', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x003c006f, classId: 60, methodId: 111, name: 'basic.recover-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x003c0078, classId: 60, methodId: 120, name: 'basic.nack',
    synchronous: false, hasContent: false, responses: [],
    sentBy: ['client', 'server'],
    fields: [
      { name: 'delivery-tag', domain: 'delivery-tag', type: 'longlong', reserved: false },
      { name: 'multiple', domain: 'bit', type: 'bit', reserved: false },
      { name: 'requeue', domain: 'bit', type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x005a000a, classId: 90, methodId: 10, name: 'tx.select',
    synchronous: true, hasContent: false, responses: [TX_SELECT_OK],
    sentBy: ['client'],
    fields: [],
  },
  {
    id: 0x005a000b, classId: 90, methodId: 11, name: 'tx.select-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x005a0014, classId: 90, methodId: 20, name: 'tx.commit',
    synchronous: true, hasContent: false, responses: [TX_COMMIT_OK],
    sentBy: ['client'],
    fields: [],
  },
  {
    id: 0x005a0015, classId: 90, methodId: 21, name: 'tx.commit-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x005a001e, classId: 90, methodId: 30, name: 'tx.rollback',
    synchronous: true, hasContent: false, responses: [TX_ROLLBACK_OK],
    sentBy: ['client'],
    fields: [],
  },
  {
    id: 0x005a001f, classId: 90, methodId: 31, name: 'tx.rollback-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
  {
    id: 0x0055000a, classId: 85, methodId: 10, name: 'confirm.select',
    synchronous: true, hasContent: false, responses: [CONFIRM_SELECT_OK],
    sentBy: ['client'],
    fields: [
      { name: 'nowait', domain: null, type: 'bit', reserved: false },
    ],
  },
  {
    id: 0x0055000b, classId: 85, methodId: 11, name: 'confirm.select-ok',
    synchronous: true, hasContent: false, responses: [],
    sentBy: ['server'],
    fields: [],
  },
];

export const METHOD_INFO: ReadonlyMap<number, MethodInfo> = new Map(METHODS.map((m) => [m.id, m]));

/** The content-header properties of class basic, in flag order (first = bit 15). */
export const BASIC_PROPERTY_FIELDS: readonly FieldInfo[] = [
  { name: 'content-type', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'content-encoding', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'headers', domain: 'table', type: 'table', reserved: false },
  { name: 'delivery-mode', domain: 'octet', type: 'octet', reserved: false },
  { name: 'priority', domain: 'octet', type: 'octet', reserved: false },
  { name: 'correlation-id', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'reply-to', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'expiration', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'message-id', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'timestamp', domain: 'timestamp', type: 'timestamp', reserved: false },
  { name: 'type', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'user-id', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'app-id', domain: 'shortstr', type: 'shortstr', reserved: false },
  { name: 'reserved', domain: 'shortstr', type: 'shortstr', reserved: false },
];
