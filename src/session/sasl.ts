/**
 * SASL responses of connection.start-ok: PLAIN ("authzid\0user\0password") and AMQPLAIN (a
 * field table without its length prefix holding LOGIN and PASSWORD), RabbitMQ's two default
 * mechanisms. Returns null when the response cannot be parsed. EXTERNAL (a TLS client
 * certificate, as rabbitmq_auth_mechanism_ssl) carries nothing to parse: the user name comes from
 * the certificate (externalIdentity).
 */
import { decodeTable, tableGet, TableFailure, type FieldTable } from '../codec/field-table.js';

/** In RabbitMQ's order (its connection.start lists AMQPLAIN first). */
export const MECHANISMS = ['AMQPLAIN', 'PLAIN'] as const;

/**
 * Offered on every TLS connection, certificate or not: rabbit_auth_mechanism_ssl's should_offer
 * is true for any TLS socket so that a client without a certificate is refused with a reason
 * rather than failing to agree on a mechanism.
 */
export const EXTERNAL = 'EXTERNAL';

/**
 * The offer on a TLS connection. RabbitMQ lists mechanisms in the order of rabbit_registry's ETS
 * table, which is not fixed: a 3.10.8 node with the plugin sent "AMQPLAIN EXTERNAL PLAIN" on its
 * first boot and "EXTERNAL PLAIN AMQPLAIN" after restarts. Clients choose by name; this keeps
 * AMQPLAIN first, as on the plain port.
 */
export const TLS_MECHANISMS = ['AMQPLAIN', EXTERNAL, 'PLAIN'] as const;

export interface Credentials {
  readonly username: string;
  /** null: EXTERNAL, the certificate vouches for the user (who must exist). */
  readonly password: string | null;
  /** Set when the mechanism itself refuses the login (EXTERNAL without a usable certificate): RabbitMQ's reason. */
  readonly refusal?: string;
}

/** What EXTERNAL finds on a TLS connection: the user name, or RabbitMQ's reason there is none. */
export type ExternalIdentity = { readonly username: string } | { readonly refusal: string };

/** The parts of Node's PeerCertificate read here. */
export interface CertificateSubject {
  readonly subject?: { readonly CN?: string | readonly string[] };
}

/**
 * The user name of a verified client certificate (null: none was presented), as
 * rabbit_auth_mechanism_ssl with ssl_cert_login_from = common_name: the subject's CN, several
 * CNs joined by ",", and RabbitMQ's refusal texts when there is no name.
 */
export function externalIdentity(cert: CertificateSubject | null): ExternalIdentity {
  // Node gives an empty object, not null, for a connection without a client certificate
  if (cert === null || Object.keys(cert).length === 0) return { refusal: 'connection peer presented no TLS (x.509) certificate' };
  const cn = cert.subject?.CN;
  const names = cn === undefined ? [] : typeof cn === 'string' ? [cn] : cn;
  return names.length === 0 ? { refusal: 'no name found' } : { username: names.join(',') };
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
