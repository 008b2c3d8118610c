/**
 * The amqps listener (RabbitMQ's ssl_listeners, port 5671): TLS in front of the same AMQP
 * handling as the plain listener — a TLS socket is a net.Socket to the session layer.
 *
 * Client certificates follow RabbitMQ's ssl_options: with verify 'none' none is asked for; with
 * 'peer' one is asked for, an invalid one fails the handshake, and a missing one does too only
 * with fail-if-no-peer-cert. A handshake that does not finish in time (RabbitMQ's
 * ssl_handshake_timeout, 5 s) or fails is logged and the socket dropped; nothing a client sends
 * here can end the process.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { Logger } from 'pino';

export interface TlsSettings {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  readonly verify: 'none' | 'peer';
  readonly failIfNoPeerCert: boolean;
  /** ms allowed for the TLS handshake. */
  readonly handshakeTimeout: number;
}

/** RabbitMQ's default ssl_handshake_timeout. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 5000;

export function createTlsListener(s: TlsSettings, onSocket: (socket: tls.TLSSocket) => void, log: Logger): tls.Server {
  const options: tls.TlsOptions = {
    cert: readPem(s.cert, 'certificate'),
    key: readPem(s.key, 'key'),
    ...(s.ca !== '' ? { ca: readPem(s.ca, 'CA certificates') } : {}),
    requestCert: s.verify === 'peer',
    // checked below, so that a client without a certificate may pass unless fail-if-no-peer-cert
    rejectUnauthorized: false,
    handshakeTimeout: s.handshakeTimeout,
  };
  try {
    // OpenSSL's own words ("PEM routines::no start line") do not say which file is wrong
    tls.createSecureContext(options);
  } catch (err) {
    const files = [s.cert, s.key, ...(s.ca !== '' ? [s.ca] : [])].join(', ');
    throw new Error(`cannot use the TLS certificate, key and CA files (${files}): ${(err as Error).message}`);
  }
  const server = tls.createServer(options, (socket) => {
    if (s.verify === 'peer') {
      const presented = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
      const problem = presented && !socket.authorized ? `client certificate refused: ${String(socket.authorizationError)}`
        : !presented && s.failIfNoPeerCert ? 'client sent no certificate (fail_if_no_peer_cert)' : null;
      if (problem !== null) {
        log.warn({ peer: `${socket.remoteAddress}:${socket.remotePort}` }, `TLS connection refused: ${problem}`);
        socket.destroy();
        return;
      }
    }
    onSocket(socket);
  });
  server.on('tlsClientError', (err, socket) => {
    log.info({ err: err.message, peer: `${socket.remoteAddress}:${socket.remotePort}` }, 'TLS handshake failed');
    socket.destroy();
  });
  return server;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the TLS ${what} ${file}: ${(err as Error).message}`);
  }
}
