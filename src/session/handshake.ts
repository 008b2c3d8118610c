/**
 * The connection handshake on channel 0: start → start-ok (PLAIN or AMQPLAIN) → tune → tune-ok
 * → open → open-ok, with RabbitMQ's answers when something is wrong:
 *  - unknown mechanism: COMMAND_INVALID; while starting RabbitMQ then closes without a frame;
 *  - bad credentials: ACCESS_REFUSED, sent only to clients with the authentication_failure_close
 *    capability, others are just disconnected;
 *  - tune-ok outside the offered limits: NOT_ALLOWED "negotiated frame_max = … is lower than the
 *    minimum allowed value (4096)", attributed to connection.tune;
 *  - unknown vhost: NOT_ALLOWED "vhost x not found";
 *  - a method that does not fit the state: CHANNEL_ERROR "unexpected method in connection state …".
 */
import { tableGet, type FieldTable } from '../codec/field-table.js';
import type { Method } from '../codec/generated/method-types.js';
import {
  ACCESS_REFUSED, CHANNEL_ERROR, COMMAND_INVALID, CONNECTION_OPEN, CONNECTION_OPEN_OK, CONNECTION_START,
  CONNECTION_START_OK, CONNECTION_TUNE, CONNECTION_TUNE_OK, FRAME_MIN_SIZE, NOT_ALLOWED, SYNTAX_ERROR,
} from '../codec/generated/protocol.js';
import { AmqpError } from '../codec/amqp-error.js';
import type { Connection } from './connection.js';
import { MECHANISMS, parseSaslResponse } from './sasl.js';

export function sendConnectionStart(c: Connection): void {
  c.writer.method(0, CONNECTION_START, {
    versionMajor: 0,
    versionMinor: 9,
    serverProperties: c.broker.serverProperties,
    mechanisms: MECHANISMS.join(' '),
    locales: 'en_US',
  });
}

export function handleHandshakeMethod(c: Connection, m: Method): void {
  if (m.id === CONNECTION_START_OK && c.state === 'starting') return startOk(c, m.args);
  if (m.id === CONNECTION_TUNE_OK && c.state === 'tuning') return tuneOk(c, m.args);
  if (m.id === CONNECTION_OPEN && c.state === 'opening') return open(c, m.args.virtualHost);
  throw new AmqpError(CHANNEL_ERROR, `unexpected method in connection state ${c.state}`);
}

function startOk(c: Connection, a: { clientProperties: FieldTable; mechanism: string; response: Buffer }): void {
  c.clientProperties = a.clientProperties;
  c.capabilities = capabilitiesOf(a.clientProperties);
  if (!(MECHANISMS as readonly string[]).includes(a.mechanism)) {
    throw new AmqpError(COMMAND_INVALID, `unknown authentication mechanism '${a.mechanism}'`);
  }
  const creds = parseSaslResponse(a.mechanism, a.response);
  if (creds === null) throw new AmqpError(SYNTAX_ERROR, `${a.mechanism} response is malformed`);
  if (!c.broker.authenticate(creds.username, creds.password)) {
    c.log.warn({ user: creds.username, mechanism: a.mechanism }, `${a.mechanism} login refused: user '${creds.username}' - invalid credentials`);
    if (c.capabilities.authenticationFailureClose) {
      c.sendClose(ACCESS_REFUSED,
        `ACCESS_REFUSED - Login was refused using authentication mechanism ${a.mechanism}. For details see the broker logfile.`, 0, 0);
    } else {
      c.fail(new AmqpError(ACCESS_REFUSED, 'login refused'));
    }
    return;
  }
  c.user = creds.username;
  c.state = 'tuning';
  const limits = c.broker.limits;
  c.writer.method(0, CONNECTION_TUNE, { channelMax: limits.channelMax, frameMax: limits.frameMax, heartbeat: limits.heartbeat });
}

function tuneOk(c: Connection, a: { channelMax: number; frameMax: number; heartbeat: number }): void {
  const limits = c.broker.limits;
  negotiated('frame_max', FRAME_MIN_SIZE, limits.frameMax, a.frameMax);
  negotiated('channel_max', 0, limits.channelMax, a.channelMax);
  c.reader.setFrameMax(a.frameMax);
  c.writer.frameMax = a.frameMax;
  c.channelMax = a.channelMax;
  if (a.heartbeat > 0) c.startHeartbeat(a.heartbeat);
  c.state = 'opening';
}

/** rabbit_reader's validate_negotiated_integer_value, errors attributed to connection.tune. */
function negotiated(field: string, min: number, server: number, client: number): void {
  // RabbitMQ explains a 0 only for channel_max
  const detail = client === 0 && field === 'channel_max' ? ' (no limit)' : '';
  let problem: string | null = null;
  if (client !== 0 && client < min) problem = `is lower than the minimum allowed value (${min})`;
  else if (server !== 0 && (client === 0 || client > server)) problem = `is higher than the maximum allowed value (${server})`;
  if (problem !== null) {
    throw new AmqpError(NOT_ALLOWED, `negotiated ${field} = ${client}${detail} ${problem}`,
      CONNECTION_TUNE >>> 16, CONNECTION_TUNE & 0xffff);
  }
}

function open(c: Connection, virtualHost: string): void {
  const vhost = c.broker.vhost(virtualHost, c.user);
  if (!vhost) throw new AmqpError(NOT_ALLOWED, `vhost ${virtualHost} not found`);
  c.writer.method(0, CONNECTION_OPEN_OK, {});
  c.opened(vhost);
  c.log.info({ user: c.user, vhost: virtualHost }, 'connection opened');
}

function capabilitiesOf(props: FieldTable): Connection['capabilities'] {
  const caps = tableGet(props, 'capabilities');
  const table = caps?.type === 'F' ? caps.value : [];
  const flag = (name: string) => {
    const v = tableGet(table, name);
    return v?.type === 't' && v.value;
  };
  return {
    consumerCancelNotify: flag('consumer_cancel_notify'),
    connectionBlocked: flag('connection.blocked'),
    authenticationFailureClose: flag('authentication_failure_close'),
  };
}
