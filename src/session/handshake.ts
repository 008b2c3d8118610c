/**
 * The rules of the connection handshake, as RabbitMQ applies them; negotiation.ts sends and
 * receives, this module decides:
 *  - connection.start offers the server properties and PLAIN and AMQPLAIN, and EXTERNAL on a
 *    TLS connection (a verified client certificate's CN is the user name);
 *  - start-ok: a mechanism not offered is COMMAND_INVALID, a response that cannot be parsed
 *    SYNTAX_ERROR (while starting RabbitMQ then closes without a frame); a refused login gets
 *    ACCESS_REFUSED with RabbitMQ's text, sent only to clients with the
 *    authentication_failure_close capability (others are just disconnected);
 *  - tune-ok outside the offered limits: NOT_ALLOWED "negotiated frame_max = … is lower than the
 *    minimum allowed value (4096)", attributed to connection.tune.
 */
import { AmqpError } from '../codec/amqp-error.js';
import { tableGet, type FieldTable } from '../codec/field-table.js';
import type { ConnectionStartInit, ConnectionTuneInit, ConnectionTuneOkArgs } from '../codec/generated/method-types.js';
import { COMMAND_INVALID, CONNECTION_TUNE, FRAME_MIN_SIZE, NOT_ALLOWED, SYNTAX_ERROR } from '../codec/generated/protocol.js';
import type { ConnectionLimits } from './broker-context.js';
import {
  EXTERNAL, MECHANISMS, parseSaslResponse, TLS_MECHANISMS, type Credentials, type ExternalIdentity,
} from './sasl.js';
import type { ClientCapabilities } from './session-connection.js';

/**
 * The mechanisms offered: PLAIN and AMQPLAIN, and EXTERNAL on a TLS connection (`external` is
 * null on plain TCP), as rabbit_auth_mechanism_ssl offers it.
 */
export function mechanismsFor(external: ExternalIdentity | null): readonly string[] {
  return external === null ? MECHANISMS : TLS_MECHANISMS;
}

export function connectionStart(serverProperties: FieldTable, mechanisms: readonly string[] = MECHANISMS): ConnectionStartInit {
  return { versionMajor: 0, versionMinor: 9, serverProperties, mechanisms: mechanisms.join(' '), locales: 'en_US' };
}

/**
 * The user and password of start-ok's SASL response (EXTERNAL: the certificate's name, no
 * password, or the refusal when there is none); throws when RabbitMQ would refuse the response
 * itself.
 */
export function credentialsOf(mechanism: string, response: Buffer, external: ExternalIdentity | null = null): Credentials {
  if (!mechanismsFor(external).includes(mechanism)) {
    // rabbit_reader tells a mechanism it knows but did not offer from one it has never heard of
    const known = (TLS_MECHANISMS as readonly string[]).includes(mechanism);
    throw new AmqpError(COMMAND_INVALID, `${known ? 'invalid' : 'unknown'} authentication mechanism '${mechanism}'`);
  }
  if (mechanism === EXTERNAL) {
    const identity = external as ExternalIdentity;
    return 'username' in identity ? { username: identity.username, password: null } : { username: '', password: null, refusal: identity.refusal };
  }
  const creds = parseSaslResponse(mechanism, response);
  if (creds === null) throw new AmqpError(SYNTAX_ERROR, `${mechanism} response is malformed`);
  return creds;
}

/** connection.close's text for a refused login (clients with authentication_failure_close). */
export function loginRefusedText(mechanism: string): string {
  return `ACCESS_REFUSED - Login was refused using authentication mechanism ${mechanism}. For details see the broker logfile.`;
}

/** Client capabilities (start-ok's client-properties) that change what the server sends. */
export function capabilitiesOf(clientProperties: FieldTable): ClientCapabilities {
  const caps = tableGet(clientProperties, 'capabilities');
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

export function tuneOffer(limits: ConnectionLimits): ConnectionTuneInit {
  return { channelMax: limits.channelMax, frameMax: limits.frameMax, heartbeat: limits.heartbeat };
}

/** Throws unless tune-ok stays within the offer (a heartbeat above the offer is accepted, as RabbitMQ does). */
export function checkTuneOk(limits: ConnectionLimits, tuneOk: ConnectionTuneOkArgs): void {
  negotiated('frame_max', FRAME_MIN_SIZE, limits.frameMax, tuneOk.frameMax);
  negotiated('channel_max', 0, limits.channelMax, tuneOk.channelMax);
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
