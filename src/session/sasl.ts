/**
 * SASL responses of connection.start-ok: PLAIN ("authzid\0user\0password") and AMQPLAIN (a
 * field table without its length prefix holding LOGIN and PASSWORD), RabbitMQ's two default
 * mechanisms. Returns null when the response cannot be parsed. EXTERNAL (a TLS client
 * certificate, as rabbitmq_auth_mechanism_ssl) carries nothing to parse: handshake.ts takes the
 * user name from the certificate.
 */
import { decodeTable, tableGet, TableFailure, type FieldTable } from '../codec/field-table.js';

/** In RabbitMQ's order (its connection.start lists AMQPLAIN first). */
export const MECHANISMS = ['AMQPLAIN', 'PLAIN'] as const;

/** Offered, after the others, only to a client that presented a verified TLS certificate. */
export const EXTERNAL = 'EXTERNAL';

export interface Credentials {
  readonly username: string;
  /** null: EXTERNAL, the certificate vouches for the user (who must exist). */
  readonly password: string | null;
}

export function parseSaslResponse(mechanism: string, response: Buffer): Credentials | null {
  if (mechanism === 'PLAIN') return parsePlain(response);
  if (mechanism === 'AMQPLAIN') return parseAmqplain(response);
  return null;
}

function parsePlain(response: Buffer): Credentials | null {
  const first = response.indexOf(0);
  const second = first < 0 ? -1 : response.indexOf(0, first + 1);
  if (second < 0) return null;
  return {
    username: response.toString('utf8', first + 1, second),
    password: response.toString('utf8', second + 1),
  };
}

function parseAmqplain(response: Buffer): Credentials | null {
  const table = decodeTable(response);
  if (table instanceof TableFailure) return null;
  const login = stringValue(table, 'LOGIN');
  const password = stringValue(table, 'PASSWORD');
  return login === null || password === null ? null : { username: login, password };
}

function stringValue(t: FieldTable, name: string): string | null {
  const v = tableGet(t, name);
  return v !== undefined && (v.type === 'S' || v.type === 'x') ? v.value.toString('utf8') : null;
}
