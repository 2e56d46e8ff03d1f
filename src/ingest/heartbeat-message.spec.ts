import { MAX_HEARTBEAT_BYTES, parseHeartbeat } from './heartbeat-message';

const ID = '0b6c2a8e-4d3f-4b6a-9a51-2f0a4c1e7d11';
const TOPIC = `iomt/v1/devices/${ID}/heartbeat`;
const NOW = new Date('2026-11-28T12:00:00Z');
const parse = (body: unknown, topic = TOPIC) => parseHeartbeat(topic, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), NOW);

describe('parseHeartbeat', () => {
  it('accepts the contract payload and keeps every field', () => {
    const r = parse({ firmwareVersion: '2.4.1', sentAt: '2026-11-28T11:59:00Z', serialNumber: 'SN-1', batteryPercent: 42.4, ipAddress: 'fe80::1' });
    expect(r).toEqual({
      ok: true,
      heartbeat: {
        deviceId: ID,
        registrable: true,
        firmwareVersion: '2.4.1',
        sentAt: new Date('2026-11-28T11:59:00Z'),
        receivedAt: NOW,
        clockAhead: false,
        serialNumber: 'SN-1',
        batteryPercent: 42,
        ipAddress: 'fe80::1',
      },
    });
  });

  it('uses the receive time when sentAt is missing', () => {
    const r = parse({ firmwareVersion: '1' });
    expect(r.ok && r.heartbeat.sentAt).toEqual(NOW);
  });

  it('ignores fields it does not know', () => {
    expect(parse({ firmwareVersion: '1', temperature: 37 }).ok).toBe(true);
  });

  it('marks a topic id that cannot be an inventory id as not registrable', () => {
    const r = parse({ firmwareVersion: '1' }, 'iomt/v1/devices/pump-7/heartbeat');
    expect(r.ok && r.heartbeat.registrable).toBe(false);
  });

  it.each([
    ['not JSON', '{', 'not_json'],
    ['an array', '[1]', 'invalid_field'],
    ['null', 'null', 'invalid_field'],
    ['no firmwareVersion', { batteryPercent: 1 }, 'invalid_field'],
    ['a numeric firmwareVersion', { firmwareVersion: 2 }, 'invalid_field'],
    ['a firmwareVersion of 101 characters', { firmwareVersion: 'x'.repeat(101) }, 'invalid_field'],
    ['a firmwareVersion with a newline', { firmwareVersion: '1.0\n' }, 'invalid_field'],
    ['a sentAt without a zone', { firmwareVersion: '1', sentAt: '2026-11-28T11:59:00' }, 'invalid_field'],
    ['a sentAt that is not a date', { firmwareVersion: '1', sentAt: 'yesterday' }, 'invalid_field'],
    ['a sentAt of the right shape on a day that does not exist', { firmwareVersion: '1', sentAt: '2026-13-45T25:99:00Z' }, 'invalid_field'],
    ['a sentAt 6 minutes ahead', { firmwareVersion: '1', sentAt: '2026-11-28T12:06:00Z' }, 'sent_at_in_future'],
    ['a battery of 101', { firmwareVersion: '1', batteryPercent: 101 }, 'invalid_field'],
    ['a battery as text', { firmwareVersion: '1', batteryPercent: '50' }, 'invalid_field'],
    ['an empty serial', { firmwareVersion: '1', serialNumber: '' }, 'invalid_field'],
    ['a serial holding U+0000', { firmwareVersion: '1', serialNumber: 'SN-\u0000' }, 'invalid_field'],
    ['a serial holding an escape sequence', { firmwareVersion: '1', serialNumber: 'SN-\u001b[2J' }, 'invalid_field'],
    ['a hostname as IP', { firmwareVersion: '1', ipAddress: 'pump.local' }, 'invalid_field'],
    ['an IPv6 address with a 100-character zone id', { firmwareVersion: '1', ipAddress: `fe80::1%${'a'.repeat(100)}` }, 'invalid_field'],
  ])('rejects %s', (_name, body, reason) => {
    expect(parse(body)).toMatchObject({ ok: false, reason });
  });

  it('rejects a payload over 8 KiB before parsing it', () => {
    const r = parseHeartbeat(TOPIC, Buffer.alloc(MAX_HEARTBEAT_BYTES + 1, 0x20), NOW);
    expect(r).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('rejects a topic outside the heartbeat pattern', () => {
    expect(parse({ firmwareVersion: '1' }, `iomt/v1/devices/${ID}/status`)).toMatchObject({ ok: false, reason: 'bad_topic' });
  });

  it('rejects a device id holding a control character', () => {
    expect(parse({ firmwareVersion: '1' }, 'iomt/v1/devices/pump\u00001/heartbeat')).toMatchObject({ ok: false, reason: 'bad_topic' });
    expect(parse({ firmwareVersion: '1' }, 'iomt/v1/devices/pump\n1/heartbeat')).toMatchObject({ ok: false, reason: 'bad_topic' });
  });

  it('takes a serial with letters beyond ASCII', () => {
    expect(parse({ firmwareVersion: '1', serialNumber: 'Größe-Ω-7' })).toMatchObject({ ok: true, heartbeat: { serialNumber: 'Größe-Ω-7' } });
  });

  it('rejects a retained message even when its payload is a valid heartbeat', () => {
    const r = parseHeartbeat(TOPIC, Buffer.from(JSON.stringify({ firmwareVersion: '1' })), NOW, true);
    expect(r).toMatchObject({ ok: false, reason: 'retained' });
  });

  it('takes a sentAt up to 5 minutes ahead (clock drift) as the receive time, and says so', () => {
    for (const sentAt of ['2026-11-28T12:04:59Z', '2026-11-28T12:00:00.001Z', '2026-11-28T12:05:00Z']) {
      expect(parse({ firmwareVersion: '1', sentAt })).toMatchObject({ ok: true, heartbeat: { sentAt: NOW, receivedAt: NOW, clockAhead: true } });
    }
  });

  it('keeps a sentAt at or before the receive time as the device sent it', () => {
    expect(parse({ firmwareVersion: '1', sentAt: '2026-11-28T12:00:00Z' })).toMatchObject({ ok: true, heartbeat: { sentAt: NOW, clockAhead: false } });
    expect(parse({ firmwareVersion: '1', sentAt: '2026-11-28T13:59:00+02:00' })).toMatchObject({
      ok: true,
      heartbeat: { sentAt: new Date('2026-11-28T11:59:00Z'), clockAhead: false },
    });
  });

  it.each(['2025-02-30T10:00:00Z', '2023-02-29T00:00:00Z', '2025-01-01T24:00:00Z', '2025-04-31T00:00:00+02:00'])(
    'refuses sentAt %s naming the field',
    (sentAt) => {
      const r = parse({ firmwareVersion: '1', sentAt });
      expect(r).toMatchObject({ ok: false, reason: 'invalid_field' });
      expect(!r.ok && r.detail).toMatch(/^sentAt: /);
    },
  );
});
