import { loadConfig } from '../config/app-config';
import { TlsMaterial } from '../config/tls-material';
import { serviceUrls } from './service-urls';

describe('serviceUrls', () => {
  it('shows a wildcard bind as localhost, with the API prefix, the docs and the embedded broker', () => {
    expect(serviceUrls(loadConfig({}), 3000, { plain: 1883, tls: 0 }, 'api/v1')).toEqual({
      http: 'http://localhost:3000/api/v1',
      docs: 'http://localhost:3000/docs',
      mqtt: 'mqtt://localhost:1883',
    });
  });

  it('brackets an IPv6 address', () => {
    expect(serviceUrls(loadConfig({ HOST: '::1' }), 8080, { plain: 1884, tls: 0 }, 'api/v1').docs).toBe('http://[::1]:8080/docs');
  });

  it('names an external broker without its credentials', () => {
    const config = loadConfig({ MQTT_URL: 'mqtts://svc:s3cret@broker.example.org:8883' });
    expect(serviceUrls(config, 3000, null, 'api/v1').mqtt).toBe('mqtts://broker.example.org:8883');
  });

  it('names HTTPS and the MQTT-over-TLS listener when a certificate is configured, and a kept plaintext listener beside it', () => {
    const config = loadConfig({});
    // The URLs depend only on whether TLS is on, not on the certificate itself.
    config.tls = {} as TlsMaterial;
    expect(serviceUrls(config, 3000, { plain: 0, tls: 8883 }, 'api/v1')).toEqual({
      http: 'https://localhost:3000/api/v1',
      docs: 'https://localhost:3000/docs',
      mqtt: 'mqtts://localhost:8883',
    });
    expect(serviceUrls(config, 3000, { plain: 1883, tls: 8883 }, 'api/v1').mqttPlaintext).toBe('mqtt://localhost:1883');
  });
});
