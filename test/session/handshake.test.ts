/**
 * The SASL side of connection.start / start-ok as RabbitMQ 3.10.8 with rabbitmq_auth_mechanism_ssl
 * answers it: which mechanisms are offered on plain and TLS connections, and what EXTERNAL makes
 * of a client certificate (checked against a RabbitMQ node with the plugin and
 * ssl_cert_login_from = common_name).
 */
import { describe, expect, it } from 'vitest';
import { AmqpError } from '../../src/codec/amqp-error.js';
import { COMMAND_INVALID } from '../../src/codec/generated/protocol.js';
import { connectionStart, credentialsOf, mechanismsFor } from '../../src/session/handshake.js';
import { externalIdentity } from '../../src/session/sasl.js';

const none = Buffer.alloc(0);

function refusedWith(f: () => unknown): [number, string] {
  try {
    f();
  } catch (e) {
    if (e instanceof AmqpError) return [e.replyCode, e.replyText];
    throw e;
  }
  throw new Error('not refused');
}

describe('mechanisms offered', () => {
  it('plain TCP: AMQPLAIN PLAIN; any TLS connection, certificate or not: AMQPLAIN EXTERNAL PLAIN', () => {
    expect(connectionStart([], mechanismsFor(null)).mechanisms).toBe('AMQPLAIN PLAIN');
    expect(connectionStart([], mechanismsFor({ username: 'guest' })).mechanisms).toBe('AMQPLAIN EXTERNAL PLAIN');
    expect(connectionStart([], mechanismsFor(externalIdentity(null))).mechanisms).toBe('AMQPLAIN EXTERNAL PLAIN');
  });
});

describe('EXTERNAL', () => {
  it('the user is the subject CN; several CNs are joined by a comma', () => {
    expect(externalIdentity({ subject: { CN: 'guest' } })).toEqual({ username: 'guest' });
    expect(externalIdentity({ subject: { CN: ['guest', 'other'] } })).toEqual({ username: 'guest,other' });
  });

  it('RabbitMQ\'s reasons when there is no name: no certificate, no CN', () => {
    expect(externalIdentity(null)).toEqual({ refusal: 'connection peer presented no TLS (x.509) certificate' });
    expect(externalIdentity({})).toEqual({ refusal: 'connection peer presented no TLS (x.509) certificate' });
    expect(externalIdentity({ subject: {} })).toEqual({ refusal: 'no name found' });
  });

  it('start-ok with EXTERNAL: the certificate\'s user with no password, or the refusal (a login refusal, not a protocol error)', () => {
    expect(credentialsOf('EXTERNAL', none, { username: 'guest' })).toEqual({ username: 'guest', password: null });
    expect(credentialsOf('EXTERNAL', none, externalIdentity(null)).refusal).toBe('connection peer presented no TLS (x.509) certificate');
    // the response is ignored, as rabbit_auth_mechanism_ssl's handle_response ignores it
    expect(credentialsOf('EXTERNAL', Buffer.from('someone else'), { username: 'guest' }).username).toBe('guest');
  });

  it('on plain TCP EXTERNAL is a mechanism RabbitMQ knows but did not offer; BOGUS one it does not know', () => {
    expect(refusedWith(() => credentialsOf('EXTERNAL', none, null))).toEqual([COMMAND_INVALID, "COMMAND_INVALID - invalid authentication mechanism 'EXTERNAL'"]);
    expect(refusedWith(() => credentialsOf('BOGUS', none, { username: 'guest' }))).toEqual([COMMAND_INVALID, "COMMAND_INVALID - unknown authentication mechanism 'BOGUS'"]);
    expect(credentialsOf('PLAIN', Buffer.from('\0guest\0guest'), { username: 'other' })).toEqual({ username: 'guest', password: 'guest' });
  });
});
