/**
 * The MQTT topic of heartbeats, part of the stable contract with devices (DESIGN.md): one
 * definition for the broker's publish check, the service's subscription, the topic parser and
 * the topic stored with a rejection.
 */
const PREFIX = 'iomt/v1/devices/';
const SUFFIX = '/heartbeat';
// One topic level; control characters are no part of a device id (U+0000 cannot be stored).
const DEVICE_ID = /^[^/\p{Cc}]{1,200}$/u;

/** The one topic a device may publish to. */
export function heartbeatTopicFor(deviceId: string): string {
  return `${PREFIX}${deviceId}${SUFFIX}`;
}

/** Every device's heartbeats. */
export const HEARTBEAT_TOPIC_FILTER = heartbeatTopicFor('+');

/** The topic's shape, as told to whoever sends to another one. */
export const HEARTBEAT_TOPIC_SHAPE = heartbeatTopicFor('{deviceId}');

/** The device id a heartbeat topic names, or null when the topic is not a heartbeat topic. */
export function deviceIdOfHeartbeatTopic(topic: string): string | null {
  if (topic.length <= PREFIX.length + SUFFIX.length || !topic.startsWith(PREFIX) || !topic.endsWith(SUFFIX)) return null;
  const id = topic.slice(PREFIX.length, topic.length - SUFFIX.length);
  return DEVICE_ID.test(id) ? id : null;
}
