export type FrameVerdict = 'ok' | 'too_large' | 'malformed';

/**
 * Follows MQTT's framing over a byte stream and checks each packet's declared size as soon as
 * its fixed header arrives, before any of its body is buffered. mqtt-packet's parser (which
 * Aedes uses) has no size limit: it keeps appending to a packet until its remaining length has
 * arrived, up to the protocol's 256 MB.
 */
export class MqttFrameScanner {
  /** Body bytes of the current packet still to come. */
  private bodyLeft = 0;
  /** -1: the next byte is a packet's first (type) byte; else length bytes read so far. */
  private lengthBytes = -1;
  private length = 0;
  private multiplier = 1;

  constructor(private readonly maxPacketBytes: number) {}

  feed(chunk: Buffer): FrameVerdict {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++];
      if (this.lengthBytes < 0) {
        this.lengthBytes = 0;
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      // Whole packet: type byte, length bytes, body. Each further length byte only adds to it.
      if (1 + this.lengthBytes + this.length > this.maxPacketBytes) return 'too_large';
      if (byte & 0x80) {
        // The remaining length is at most four bytes [MQTT-2.2.3].
        if (this.lengthBytes === 4) return 'malformed';
        continue;
      }
      this.bodyLeft = this.length;
      this.lengthBytes = -1;
    }
    return 'ok';
  }
}
