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

/**
 * Whether `password` is the one `passwordHash` was made from, as RabbitMQ's internal backend
 * decides it (rabbit_auth_backend_internal:user_login_authentication): a blank password is
 * refused before the hash is looked at, so is every password of a user without one (an empty
 * hash: certificate logins only) or whose algorithm is not one of the three (RabbitMQ keeps such
 * a user from an imported file, and no password matches). The comparison takes the same time
 * wherever the digests differ.
 */
export function checkPassword(passwordHash: string, algorithm: string, password: string): boolean {
  if (password === '' || passwordHash === '' || !isHashingAlgorithm(algorithm)) return false;
  const stored = Buffer.from(passwordHash, 'base64');
  if (stored.length <= 4) return false;
  const computed = digest(algorithm, stored.subarray(0, 4), password);
  return computed.length === stored.length - 4 && timingSafeEqual(computed, stored.subarray(4));
}

function digest(algorithm: HashingAlgorithm, salt: Buffer, password: string): Buffer {
  return createHash(HASHING_ALGORITHMS[algorithm]).update(salt).update(password, 'utf8').digest();
}
