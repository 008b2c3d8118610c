/**
 * Passwords as RabbitMQ's internal database keeps them: base64 of a 4-byte random salt
 * followed by hash(salt ‖ UTF-8 password), the hash named by the user's hashing algorithm
 * (rabbit_password_hashing_sha256 by default; sha512 and md5 appear in older exports).
 * Keeping RabbitMQ's format is what lets a definitions file move between the two brokers.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const HASHING_ALGORITHMS = {
  rabbit_password_hashing_sha256: 'sha256',
  rabbit_password_hashing_sha512: 'sha512',
  rabbit_password_hashing_md5: 'md5',
} as const;

export type HashingAlgorithm = keyof typeof HASHING_ALGORITHMS;

export const DEFAULT_HASHING_ALGORITHM: HashingAlgorithm = 'rabbit_password_hashing_sha256';

export function isHashingAlgorithm(name: string): name is HashingAlgorithm {
  return Object.hasOwn(HASHING_ALGORITHMS, name);
}

export function hashPassword(password: string, algorithm: HashingAlgorithm = DEFAULT_HASHING_ALGORITHM): string {
  const salt = randomBytes(4);
  return Buffer.concat([salt, digest(algorithm, salt, password)]).toString('base64');
}

/** False for an empty hash: a password-less user can only log in by other means (EXTERNAL). */
export function checkPassword(passwordHash: string, algorithm: HashingAlgorithm, password: string): boolean {
  if (passwordHash === '') return false;
  const stored = Buffer.from(passwordHash, 'base64');
  if (stored.length <= 4) return false;
  const computed = digest(algorithm, stored.subarray(0, 4), password);
  return computed.length === stored.length - 4 && timingSafeEqual(computed, stored.subarray(4));
}

function digest(algorithm: HashingAlgorithm, salt: Buffer, password: string): Buffer {
  return createHash(HASHING_ALGORITHMS[algorithm]).update(salt).update(password, 'utf8').digest();
}
