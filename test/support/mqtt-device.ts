import { connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { heartbeatTopicFor } from '../../src/mqtt/heartbeat-topic';

/** A device (or gateway) publishing heartbeats, as real hardware would: QoS 1 over MQTT. */
export async function connectDevice(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  return connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
}

export function heartbeatTopic(deviceId: string): string {
  return heartbeatTopicFor(deviceId);
}

export async function publishHeartbeat(client: MqttClient, deviceId: string, payload: unknown): Promise<void> {
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  await client.publishAsync(heartbeatTopic(deviceId), body, { qos: 1 });
}

/** Polls until the check passes or the deadline is reached; returns the elapsed milliseconds. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 2000, intervalMs = 25): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started <= timeoutMs) {
    try {
      return { value: await check(), ms: Date.now() - started };
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw lastError instanceof Error ? lastError : new Error(`condition not met within ${timeoutMs} ms`);
}
