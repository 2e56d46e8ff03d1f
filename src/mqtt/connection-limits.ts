/**
 * What a client may cost the embedded broker before it has proved who it is. Without these an
 * unauthenticated client could stream a CONNECT of hundreds of megabytes into memory, or hold
 * sockets open indefinitely (see docs/decisions.md, "The embedded broker under hostile clients").
 */

/** Default largest MQTT packet, either way of authentication (MQTT_MAX_PACKET_BYTES); as Mosquitto's max_packet_size in docker/mosquitto. */
export const DEFAULT_MAX_PACKET_BYTES = 16_384;

/** From TCP accept to a complete CONNECT (and, with TLS, to the end of the handshake). */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Connections not yet authenticated, all addresses together. */
export const MAX_PENDING_CONNECTIONS = 256;

/** Connections not yet authenticated from one address: one host cannot take every slot. */
export const MAX_PENDING_PER_ADDRESS = 16;
