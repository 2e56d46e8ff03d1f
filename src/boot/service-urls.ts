import { AppConfig } from '../config/app-config';

export interface ServiceUrls {
  http: string;
  docs: string;
  mqtt: string;
  /** The embedded broker's plaintext listener too, when TLS is configured and plaintext kept. */
  mqttPlaintext?: string;
}

/** The embedded broker's listening ports (0: that listener is off). */
export interface BrokerPorts {
  plain: number;
  tls: number;
}

/** Where a person on this machine reaches the service; a wildcard bind is shown as localhost. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The URLs the "service ready" line prints; an external broker's URL is shown without credentials. */
export function serviceUrls(config: AppConfig, httpPort: number, broker: BrokerPorts | null, apiPrefix: string): ServiceUrls {
  const host = reachableHost(config.HOST);
  const base = `${config.tls ? 'https' : 'http'}://${host}:${httpPort}`;
  const urls: ServiceUrls = { http: `${base}/${apiPrefix}`, docs: `${base}/docs`, mqtt: withoutCredentials(config.MQTT_URL ?? '') };
  if (!broker) return urls;
  if (broker.tls) {
    urls.mqtt = `mqtts://${host}:${broker.tls}`;
    if (broker.plain) urls.mqttPlaintext = `mqtt://${host}:${broker.plain}`;
  } else {
    urls.mqtt = `mqtt://${host}:${broker.plain}`;
  }
  return urls;
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
