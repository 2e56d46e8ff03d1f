/**
 * Size limits MQTT_MAX_PACKET_BYTES is checked against. They live with the configuration, which
 * depends on no feature; the broker and the heartbeat parser import them from here.
 */

/** Largest heartbeat payload taken as a heartbeat; a larger one is stored as a `too_large` rejection. */
export const MAX_HEARTBEAT_BYTES = 8 * 1024;

/** Default largest MQTT packet, either way of authentication (MQTT_MAX_PACKET_BYTES); as Mosquitto's max_packet_size in docker/mosquitto. */
export const DEFAULT_MAX_PACKET_BYTES = 16_384;
