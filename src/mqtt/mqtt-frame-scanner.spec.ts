import { fixedHeader } from '../../test/support/raw-mqtt';
import { MqttFrameScanner } from './mqtt-frame-scanner';

/** type byte, remaining length (variable byte integer), body */
const packet = (firstByte: number, body: Buffer): Buffer => Buffer.concat([fixedHeader(firstByte, body.length), body]);
/** A remaining length alone, for a header that arrives in pieces. */
const varint = (n: number): Buffer => fixedHeader(0, n).subarray(1);

describe('MqttFrameScanner', () => {
  it('passes packets up to the limit, whole or split anywhere, one after another', () => {
    const stream = Buffer.concat([packet(0x10, Buffer.alloc(100)), packet(0x30, Buffer.alloc(1021)), packet(0xc0, Buffer.alloc(0))]);
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const scanner = new MqttFrameScanner(1024);
      for (let i = 0; i < stream.length; i += size) expect(scanner.feed(stream.subarray(i, i + size))).toBe('ok');
    }
  });

  it('refuses a packet one byte over the limit as soon as its header arrives', () => {
    const scanner = new MqttFrameScanner(1024);
    expect(scanner.feed(Buffer.from([0x30]))).toBe('ok');
    // 1 type byte + 2 length bytes + 1022 = 1025
    expect(scanner.feed(varint(1022))).toBe('too_large');
  });

  it('refuses a 200 MB CONNECT header with no body sent yet', () => {
    expect(new MqttFrameScanner(16_384).feed(Buffer.concat([Buffer.from([0x10]), varint(200 * 1024 * 1024)]))).toBe('too_large');
  });

  it('refuses an oversized packet that follows a good one in the same chunk', () => {
    const scanner = new MqttFrameScanner(1024);
    expect(scanner.feed(Buffer.concat([packet(0x10, Buffer.alloc(10)), Buffer.from([0x30]), varint(5000)]))).toBe('too_large');
  });

  it('calls a remaining length of more than four bytes malformed', () => {
    expect(new MqttFrameScanner(Number.MAX_SAFE_INTEGER).feed(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).toBe('malformed');
  });
});
