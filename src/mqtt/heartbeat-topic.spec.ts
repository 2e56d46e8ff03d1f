import { deviceIdOfHeartbeatTopic, HEARTBEAT_TOPIC_FILTER, heartbeatTopicFor } from './heartbeat-topic';

describe('heartbeat topic', () => {
  it('is the contract topic, and the filter is its wildcard', () => {
    expect(heartbeatTopicFor('abc')).toBe('iomt/v1/devices/abc/heartbeat');
    expect(HEARTBEAT_TOPIC_FILTER).toBe('iomt/v1/devices/+/heartbeat');
  });

  it('reads back the device id of a topic it wrote', () => {
    expect(deviceIdOfHeartbeatTopic(heartbeatTopicFor('0b6c-1'))).toBe('0b6c-1');
  });

  it.each([
    ['no id', 'iomt/v1/devices//heartbeat'],
    ['the prefix and suffix overlapping', 'iomt/v1/devices/heartbeat'],
    ['two levels', 'iomt/v1/devices/a/b/heartbeat'],
    ['a control character', 'iomt/v1/devices/a\u0000b/heartbeat'],
    ['another version', 'iomt/v2/devices/a/heartbeat'],
    ['another suffix', 'iomt/v1/devices/a/status'],
    ['an id over 200 characters', heartbeatTopicFor('x'.repeat(201))],
  ])('refuses %s', (_name, topic) => {
    expect(deviceIdOfHeartbeatTopic(topic)).toBeNull();
  });
});
