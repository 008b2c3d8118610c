/**
 * Queue arguments RabbitMQ's classic queue type knows. Redeclaring a queue compares exactly
 * these (rabbit_classic_queue's queue_arguments); any other argument is stored and ignored.
 * Validation of their values comes with the features that use them.
 */
export const CLASSIC_QUEUE_ARGUMENTS: readonly string[] = [
  'x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-max-length',
  'x-max-length-bytes', 'x-max-priority', 'x-overflow', 'x-queue-mode', 'x-queue-version',
  'x-single-active-consumer', 'x-queue-type', 'x-queue-master-locator', 'x-queue-leader-locator',
];
