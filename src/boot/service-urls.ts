import { AppConfig } from '../config/app-config';

export interface ServiceUrls {
  http: string;
  docs: string;
  mqtt: string;
}

/** Where a person on this machine reaches the service; a wildcard bind is shown as localhost. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The URLs the "service ready" line prints; an external broker's URL is shown without credentials. */
export function serviceUrls(config: AppConfig, httpPort: number, brokerPort: number | null, apiPrefix: string): ServiceUrls {
  const host = reachableHost(config.HOST);
  const base = `http://${host}:${httpPort}`;
  return { http: `${base}/${apiPrefix}`, docs: `${base}/docs`, mqtt: brokerPort !== null ? `mqtt://${host}:${brokerPort}` : withoutCredentials(config.MQTT_URL ?? '') };
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
