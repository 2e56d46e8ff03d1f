/**
 * How the embedded broker decides who a device is. The device-credentials feature registers
 * the real implementation; until one is registered, only the service itself (and anonymous
 * clients when allowed) may connect.
 */
export interface BrokerAuthenticator {
  /** Resolves the device id the credentials belong to, or null when they are wrong. */
  verify(username: string, password: Buffer): Promise<string | null>;
}

// Kept here for the device-credentials controller; the topic is defined in heartbeat-topic.ts.
export { heartbeatTopicFor } from './heartbeat-topic';
