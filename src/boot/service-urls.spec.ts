import { loadConfig } from '../config/app-config';
import { serviceUrls } from './service-urls';

describe('serviceUrls', () => {
  it('shows a wildcard bind as localhost, with the API prefix, the docs and the embedded broker', () => {
    expect(serviceUrls(loadConfig({}), 3000, 1883, 'api/v1')).toEqual({
      http: 'http://localhost:3000/api/v1',
      docs: 'http://localhost:3000/docs',
      mqtt: 'mqtt://localhost:1883',
    });
  });

  it('brackets an IPv6 address', () => {
    expect(serviceUrls(loadConfig({ HOST: '::1' }), 8080, 1884, 'api/v1').docs).toBe('http://[::1]:8080/docs');
  });

  it('names an external broker without its credentials', () => {
    const config = loadConfig({ MQTT_URL: 'mqtts://svc:s3cret@broker.example.org:8883' });
    expect(serviceUrls(config, 3000, null, 'api/v1').mqtt).toBe('mqtts://broker.example.org:8883');
  });
});
