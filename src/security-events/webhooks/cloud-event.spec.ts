import { Webhook } from 'standardwebhooks';
import { cloudEvent } from './cloud-event';
import { newWebhookSecret, signedHeaders } from './webhook-signer';

describe('CloudEvents body and Standard Webhooks signature', () => {
  it('builds a CloudEvents 1.0 JSON event with the device as subject', () => {
    expect(
      cloudEvent({ id: '42', type: 'iomt.security.firmware_downgrade', subject: 'dev-1', time: new Date('2026-12-07T10:00:00Z'), data: { a: 1 } }),
    ).toEqual({
      specversion: '1.0',
      id: '42',
      source: '/iomt/security-events',
      type: 'iomt.security.firmware_downgrade',
      subject: 'dev-1',
      time: '2026-12-07T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { a: 1 },
    });
    expect(cloudEvent({ id: '1', type: 't', subject: null, time: new Date(0), data: {} })).not.toHaveProperty('subject');
  });

  it('makes whsec_ secrets of 24 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs so that a receiver verifies with the reference library, and a changed body fails', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ hello: 'world' });
    const headers = signedHeaders(secret, 'msg_abc', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ hello: 'world' });
    expect(() => new Webhook(secret).verify(body.replace('world', 'w0rld'), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});
