import mqttPacket from 'mqtt-packet';
import { encodePubacks } from './puback-encoding';

describe('encodePubacks', () => {
  it.each([[4], [5]])("writes what MQTT.js's own packet generator writes for a successful PUBACK (MQTT %i)", (protocolVersion) => {
    const ids = [1, 258, 40_000, 65_535];
    const theirs = Buffer.concat(
      ids.map((messageId) => mqttPacket.generate({ cmd: 'puback', messageId, ...(protocolVersion === 5 ? { reasonCode: 0 } : {}) }, { protocolVersion })),
    );
    expect(encodePubacks(ids)).toEqual(theirs);
  });

  it('parses back as the same PUBACKs', () => {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const parsed: Array<{ cmd: string; messageId?: number }> = [];
    parser.on('packet', (p) => parsed.push({ cmd: p.cmd, messageId: (p as { messageId?: number }).messageId }));
    parser.parse(encodePubacks([7, 9]));
    expect(parsed).toEqual([
      { cmd: 'puback', messageId: 7 },
      { cmd: 'puback', messageId: 9 },
    ]);
  });

  it.each([[0], [65_536], [1.5], [-1]])('refuses %p, which is no message id', (id) => {
    expect(() => encodePubacks([id])).toThrow(RangeError);
  });

  it('is empty for no ids', () => {
    expect(encodePubacks([])).toHaveLength(0);
  });
});
