/**
 * What the negotiation (negotiation.ts) hands to the running connection (connection.ts) at
 * connection.open-ok: the parameters agreed on, and the socket with what reads and writes it.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { FieldTable } from '../codec/field-table.js';
import type { ResourceAccess } from '../access/resource-access.js';
import type { VirtualHost } from '../broker/vhost.js';
import type { FrameReader } from '../net/frame-reader.js';
import type { FrameWriter } from '../net/frame-writer.js';
import type { Heartbeat } from './heartbeat.js';
import type { ClientCapabilities } from './session-connection.js';

/** The outcome of start-ok, tune-ok and open: fixed for the life of the connection. */
export interface Negotiated {
  /** The authenticated user name. */
  readonly user: string;
  readonly vhost: VirtualHost;
  /** The user's rights in the vhost, asked before every operation. */
  readonly access: ResourceAccess;
  /** Largest frame either side may send (tune-ok; 0 = no limit). */
  readonly frameMax: number;
  /** Most channels open at once (tune-ok; 0 = no limit). */
  readonly channelMax: number;
  /** Seconds between heartbeats (tune-ok; 0 = none). */
  readonly heartbeat: number;
  readonly clientProperties: FieldTable;
  readonly capabilities: ClientCapabilities;
}

/** A client's socket and its I/O, from accept to close; the negotiation tunes the reader and writer. */
export interface Transport {
  /** The connection's number in logs, given at accept. */
  readonly id: number;
  readonly socket: Socket;
  readonly log: Logger;
  readonly reader: FrameReader;
  readonly writer: FrameWriter;
  /** Running since tune-ok when a heartbeat was agreed (RabbitMQ starts it there too). */
  readonly heartbeat: Heartbeat | null;
}
