/**
 * What a client may cost the embedded broker before it has proved who it is. Without these an
 * unauthenticated client could stream a CONNECT of hundreds of megabytes into memory, or hold
 * sockets open indefinitely (see docs/decisions.md, "The embedded broker under hostile clients").
 */

export { DEFAULT_MAX_PACKET_BYTES } from '../config/mqtt-limits';

/** From TCP accept to a complete CONNECT (and, with TLS, to the end of the handshake). */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Connections not yet authenticated, all addresses together. */
export const MAX_PENDING_CONNECTIONS = 256;

/** Connections not yet authenticated from one address: one host cannot take every slot. */
export const MAX_PENDING_PER_ADDRESS = 16;
