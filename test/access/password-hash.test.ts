/**
 * Password hashes as RabbitMQ makes and checks them. Every hash below was made by RabbitMQ
 * 3.10.8 from the password beside it — by the management API (PUT /api/users/x with a
 * password: the configured sha256) or by `rabbitmqctl eval 'base64:encode(rabbit_password:hash(
 * rabbit_password_hashing_<alg>, <<"...">>)).'` — or made by Warren and then accepted by
 * RabbitMQ 3.10.8 as that user's password (stored with PUT /api/users/x {password_hash,
 * hashing_algorithm}, then GET /api/whoami with the password: 200, with another one: 401).
 */
import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, isHashingAlgorithm, type HashingAlgorithm } from '../../src/access/password-hash.js';

const SHA256 = 'rabbit_password_hashing_sha256';
const SHA512 = 'rabbit_password_hashing_sha512';
const MD5 = 'rabbit_password_hashing_md5';
const UTF8_PASSWORD = 'pässwörd✓';

const MADE_BY_RABBITMQ: [HashingAlgorithm, string, string][] = [
  [SHA256, 's3cret', 'YzosMsAAraBF/pw6JoyobvGkOuNTE2ImmWcL2axhuHDuFeBf'], // management API
  [SHA256, UTF8_PASSWORD, 'O+EDoYTPcpxSkKbnwpiCvrnwje0qgAKn0Bw0x1oQyEeb7Q6N'], // management API
  [SHA256, 's3cret', 'Vx/HQ3wJwJo9wnrjbxPcPmYzAWIrhVRiDRumchgHGc6way5q'], // rabbit_password:hash
  [SHA512, 's3cret', 'kap0nZSu6lsAZc4yRJ9B/PexOJFfwRHOmnh1fp1p38h9JUrqNVVAfGJtx5H8g01FSj8sGDvTM/tEEfRiSPKw89m4pHM='],
  [SHA512, UTF8_PASSWORD, 'BKKkgC7FpMrQscgWsJGKIsFDxrghbHFW0jjnm8mU/trk9JLDiBaqCoTnCx6BvcwYtFROzDfc3p8ZRwYBJsz8LIqCg6k='],
  [MD5, 's3cret', 'ZMcxKiHK5XjKazgfChWjnPfmHlY='],
  [MD5, UTF8_PASSWORD, 'XFT8HgfGlcSQrrmmGrQBf3iu/0Q='],
];

/** Made by Warren's hashPassword for 'w4rren-é✓'; RabbitMQ let that user in with that password. */
const ACCEPTED_BY_RABBITMQ: [HashingAlgorithm, string][] = [
  [SHA256, 'C8OPzd7+ReXXIk9B4juue08qF6nlFAz9+axTZxyaf3LT6ZzC'],
  [SHA512, 'XECWMLgihWQh1A9394ZFdif92CX2VaIQUtozsYhBnBshNzgrmeHZ8A1y1eUDuuDxcf/UaGXsvs6JmEmCzT7y+y187bg='],
  [MD5, '50oLOF2uQMhTBqhZTt0HW8AGejQ='],
];

describe('checkPassword', () => {
  it.each(MADE_BY_RABBITMQ)('accepts a %s hash RabbitMQ made for %j, and no other password', (algorithm, password, hash) => {
    expect(checkPassword(hash, algorithm, password)).toBe(true);
    expect(checkPassword(hash, algorithm, `${password}x`)).toBe(false);
    expect(checkPassword(hash, algorithm, password.toUpperCase())).toBe(false);
  });

  it('reads the hash with the algorithm it names: a sha256 hash is not an md5 one', () => {
    expect(checkPassword('YzosMsAAraBF/pw6JoyobvGkOuNTE2ImmWcL2axhuHDuFeBf', SHA512, 's3cret')).toBe(false);
    expect(checkPassword('ZMcxKiHK5XjKazgfChWjnPfmHlY=', SHA256, 's3cret')).toBe(false);
  });

  it('refuses a blank password even against a hash of the blank password, as RabbitMQ does (login 401)', () => {
    // PUT /api/users/x {"password": ""} stored this hash of ""; GET /api/whoami as x with "" was refused
    const hashOfBlank = 'CeYVKgcmS/e1f+l7sWeu0k5721mKjwXbMyETv/MFVYvWb5PJ';
    expect(checkPassword(hashOfBlank, SHA256, '')).toBe(false);
    expect(checkPassword(hashOfBlank, SHA256, 'x')).toBe(false);
  });

  it('no password matches an empty hash, a hash too short to hold a salt, or an unknown algorithm', () => {
    expect(checkPassword('', SHA256, 's3cret')).toBe(false);
    expect(checkPassword('AAAA', SHA256, 's3cret')).toBe(false);
    expect(checkPassword('YzosMsAAraBF/pw6JoyobvGkOuNTE2ImmWcL2axhuHDuFeBf', 'rot13', 's3cret')).toBe(false);
  });
});

describe('hashPassword', () => {
  it.each(ACCEPTED_BY_RABBITMQ)('made the %s hash RabbitMQ accepted', (algorithm, hash) => {
    expect(checkPassword(hash, algorithm, 'w4rren-é✓')).toBe(true);
  });

  it.each([[SHA256, 32], [SHA512, 64], [MD5, 16]] as const)('%s: base64 of a 4-byte salt and a %i-byte digest, salted anew each time', (algorithm, size) => {
    const a = hashPassword('s3cret', algorithm);
    const b = hashPassword('s3cret', algorithm);
    expect(Buffer.from(a, 'base64')).toHaveLength(4 + size);
    expect(a).not.toBe(b);
    expect(checkPassword(a, algorithm, 's3cret')).toBe(true);
    expect(checkPassword(b, algorithm, 's3cret')).toBe(true);
  });

  it('uses sha256 unless told otherwise, as RabbitMQ does by default', () => {
    expect(Buffer.from(hashPassword('s3cret'), 'base64')).toHaveLength(36);
    expect(isHashingAlgorithm(SHA256) && isHashingAlgorithm(SHA512) && isHashingAlgorithm(MD5)).toBe(true);
    expect(isHashingAlgorithm('rot13')).toBe(false);
  });
});
