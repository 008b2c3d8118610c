/**
 * How `warren ctl` fails: rabbitmqctl's exit codes (sysexits, as its ExitCodes module has them)
 * and its two shapes of message on stderr — "Error:\n<text>" for a refusal from the node, and
 * "Error (argument validation): ..." followed by the verb's usage for bad arguments.
 */

export const EXIT = {
  ok: 0,
  usage: 64,
  dataerr: 65,
  nouser: 67,
  unavailable: 69,
  software: 70,
  tempfail: 75,
} as const;

/** A verb that cannot do what was asked: the exit code and what goes to stderr. */
export class CtlError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    /** rabbitmqctl prints some refusals (a missing vhost) without the "Error:" line. */
    readonly bare = false,
  ) {
    super(message);
  }

  render(): string {
    return this.bare ? `${this.message}\n` : `Error:\n${this.message}\n`;
  }
}

/** Bad arguments: exit 64 (65 for a bad value, as rabbitmqctl's {bad_argument, _}) with the usage. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.usage) {
    super(message);
  }
}

/** The HTTP API could not be reached (refused, unresolvable, timed out connecting). */
export class Unreachable extends Error {
  constructor(readonly url: string, readonly reason: string) {
    super(`unable to connect to ${url}: ${reason}`);
  }
}

/**
 * rabbitmqctl's "node down" message (exit 69), with the diagnostics that apply to an HTTP
 * client: the address tried and why it failed.
 */
export function unreachableMessage(node: string, url: string, reason: string): string {
  return [
    `Error: unable to perform an operation on node '${node}'. Please see diagnostics information and suggestions below.`,
    '',
    'Most common reasons for this are:',
    '',
    ' * Target node is unreachable (e.g. due to hostname resolution, TCP connection or firewall issues)',
    ' * CLI tool fails to authenticate with the server (wrong --username / --password)',
    ' * Target node is not running, or its management API is off (--management-port -1)',
    '',
    'DIAGNOSTICS',
    '===========',
    '',
    `attempted to contact: [${url}]`,
    '',
    `${url}:`,
    `  * ${reason}`,
    '',
  ].join('\n') + '\n';
}
